#!/usr/bin/env bash
# Checks a built API image (CI, where Docker runs): compressed size under the budget, non-root user, and that it
# starts and answers /health/live on the embedded database. Usage: infra/docker/check-image.sh IMAGE [BUDGET_MB]
set -euo pipefail
image=${1:?usage: check-image.sh IMAGE [BUDGET_MB]}
budget_mb=${2:-200}

# Compressed size: gzip each layer as a registry stores it (docker image inspect reports the unpacked size).
compressed=$(docker save "$image" | python3 -c '
import io, sys, tarfile, zlib
total = 0
with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as tar:
    for member in tar:
        if not member.isfile():
            continue
        data = tar.extractfile(member).read()
        if member.name.endswith((".json", "repositories", "oci-layout")):
            continue
        if data[:2] == b"\x1f\x8b":
            total += len(data)
        else:
            c = zlib.compressobj(6, zlib.DEFLATED, 31)
            total += len(c.compress(data)) + len(c.flush())
print(total)
')
unpacked=$(docker image inspect --format '{{.Size}}' "$image")
echo "image $image: $((compressed / 1000000)) MB compressed, $((unpacked / 1000000)) MB unpacked (budget ${budget_mb} MB compressed)"
if [ "$compressed" -ge $((budget_mb * 1000000)) ]; then
  echo "FAIL: over the ${budget_mb} MB budget"; exit 1
fi

user=$(docker image inspect --format '{{.Config.User}}' "$image")
if [ -z "$user" ] || [ "$user" = "root" ] || [ "${user%%:*}" = "0" ]; then
  echo "FAIL: the image runs as root"; exit 1
fi

# Smoke test on the embedded PGlite database in /app/data (no DATABASE_URL), with a read-only root filesystem
# as on ECS: the VOLUMEs /app/data and /tmp must be writable by the unprivileged user.
name="dynaprice-smoke-$$"
docker run -d --name "$name" --init --read-only -p 127.0.0.1:3999:3000 "$image" >/dev/null
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 60); do
  if curl -fsS http://127.0.0.1:3999/health/live >/dev/null 2>&1; then break; fi
  sleep 2
done
curl -fsS http://127.0.0.1:3999/health/live
echo
for _ in $(seq 1 60); do
  if curl -fsS http://127.0.0.1:3999/health/ready >/dev/null 2>&1; then break; fi
  sleep 2
done
curl -fsS http://127.0.0.1:3999/health/ready
echo
docker exec "$name" node -e "require('onnxruntime-node'); console.log('onnxruntime-node loads')"
health=$(docker inspect --format '{{.State.Health.Status}}' "$name")
echo "docker HEALTHCHECK: $health"
echo "PASS"
