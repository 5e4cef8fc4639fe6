#!/usr/bin/env bash
# Deploys one Dynaprice environment with one image tag, then proves it: the ECS service is stable, runs that
# image, and the public URL answers /health/ready. Used by .github/workflows/main.yml (deploy) and
# rollback.yml (redeploy an earlier tag). Needs AWS credentials for the environment's account.
#
#   infra/ci/deploy.sh dev|prod IMAGE_TAG
set -euo pipefail
environment=${1:?usage: deploy.sh dev|prod IMAGE_TAG}
tag=${2:?usage: deploy.sh dev|prod IMAGE_TAG}
repository=${REPOSITORY:-dynaprice/api}
stack="Dynaprice-$environment"
root=$(cd "$(dirname "$0")/../.." && pwd)
outputs="$root/tmp/outputs-$environment.json"

case "$environment" in dev | prod) ;; *) echo "unknown environment $environment" >&2; exit 2 ;; esac
if ! [[ "$tag" =~ ^[0-9a-f]{7,40}$ ]]; then echo "image tag must be a commit SHA, got '$tag'" >&2; exit 2; fi
if ! aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$tag" >/dev/null; then
  echo "$repository:$tag is not in this account's ECR: nothing to deploy" >&2; exit 1
fi

export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
mkdir -p "$root/tmp"
cd "$root/infra/cdk"
# CloudFormation waits for the ECS deployment; the circuit breaker (and, in prod, the latency / 5xx alarms)
# roll a failed one back, and the stack update fails with it.
npx --no-install cdk deploy "$stack" --require-approval never --no-notices -c imageTag="$tag" --outputs-file "$outputs"

read_output() { node -p "require('$outputs')['$stack']['$1']"; }
cluster=$(read_output ClusterName)
service=$(read_output ServiceName)
url=$(read_output ApiUrl)

aws ecs wait services-stable --cluster "$cluster" --services "$service"
task_definition=$(aws ecs describe-services --cluster "$cluster" --services "$service" --query 'services[0].taskDefinition' --output text)
image=$(aws ecs describe-task-definition --task-definition "$task_definition" --query "taskDefinition.containerDefinitions[?name=='api'].image | [0]" --output text)
if [[ "$image" != *":$tag" ]]; then echo "service runs $image, expected tag $tag" >&2; exit 1; fi

curl --fail --silent --show-error --retry 10 --retry-delay 6 --retry-all-errors "${url%/}/health/ready"
echo
echo "$stack runs $image at $url"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "url=$url" >> "$GITHUB_OUTPUT"; fi
