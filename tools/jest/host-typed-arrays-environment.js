// onnxruntime-node checks `data instanceof Float32Array` against the host realm's constructors;
// Jest's sandbox has its own, so hand the test realm the host's typed arrays and buffers.
const { TestEnvironment } = require('jest-environment-node');

const HOST_GLOBALS = [
  'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray',
  'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of HOST_GLOBALS) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
