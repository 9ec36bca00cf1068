// loader.js: load a model module compiled by ferrum's web/wasmgen.
//
//   import { loadModel } from "./loader.js";
//   const model = await loadModel("model.wasm");      // or the module's bytes
//   const probs = model.predict([5.1, 3.5, 1.4, 0.2]); // Float32Array(outWidth)
//
// The module imports nothing and exports its memory, predict(), and the
// immutable i32 globals input_ptr, output_ptr, input_width and
// output_width. predict() reads input_width f32 values at input_ptr and
// writes output_width f32 values at output_ptr; its memory never grows, so
// views made once stay valid. Inputs are rounded to float32 the way Go's
// float32(x) does, so a page that feeds the same numbers gets the native
// engine's bits.

/**
 * loadModel instantiates a compiled model.
 * @param {string|URL|ArrayBuffer|ArrayBufferView} source a URL to fetch, or the module's bytes
 * @returns {Promise<{inWidth: number, outWidth: number, predict: (x: ArrayLike<number>) => Float32Array}>}
 */
export async function loadModel(source) {
  let bytes = source;
  if (typeof source === "string" || source instanceof URL) {
    const res = await fetch(source);
    if (!res.ok) {
      throw new Error(`loadModel ${source}: HTTP ${res.status}`);
    }
    bytes = await res.arrayBuffer();
  }
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const e = instance.exports;
  for (const name of ["memory", "predict", "input_ptr", "output_ptr", "input_width", "output_width"]) {
    if (!(name in e)) {
      throw new Error(`loadModel: the module does not export ${name}; is it a wasmgen model?`);
    }
  }
  const inWidth = e.input_width.value;
  const outWidth = e.output_width.value;
  const input = new Float32Array(e.memory.buffer, e.input_ptr.value, inWidth);
  const output = new Float32Array(e.memory.buffer, e.output_ptr.value, outWidth);
  return {
    inWidth,
    outWidth,
    /**
     * predict returns the model's output for one sample: a new
     * Float32Array of outWidth values.
     * @param {ArrayLike<number>} x inWidth numbers
     */
    predict(x) {
      if (x.length !== inWidth) {
        throw new RangeError(`predict: got ${x.length} inputs, want ${inWidth}`);
      }
      input.set(x);
      e.predict();
      return output.slice();
    },
  };
}
