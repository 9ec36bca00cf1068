// The Go engine back-end: the project's own Go code (finf/ and nn/) compiled
// to WebAssembly. loadGoEngine starts it once; its load(bytes) returns a
// back-end with the interface every back-end of the page implements:
//
//   { inWidth, outWidth, predict(Float32Array) -> Float32Array, info }
//
// where info is { engine, layers: string[], params, mean: number[],
// std: number[] } and predict returns a fresh array each call. load throws
// an Error with a readable message for a corrupt or unusable model file.

let started = null;

export function loadGoEngine(wasmURL) {
  if (!started) {
    started = start(wasmURL);
    started.catch(() => { started = null; }); // allow a retry
  }
  return started;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`${src} could not be loaded`));
    document.head.append(s);
  });
}

async function start(wasmURL) {
  if (typeof globalThis.Go !== 'function') {
    await loadScript('wasm_exec.js');
  }
  const go = new globalThis.Go();
  const resp = await fetch(wasmURL);
  if (!resp.ok) {
    throw new Error(`the engine ${wasmURL} is missing (HTTP ${resp.status})`);
  }
  // Read whole (not streamed) so the page can state the engine's size.
  const wasm = await resp.arrayBuffer();
  const result = await WebAssembly.instantiate(wasm, go.importObject);
  const engine = `Go engine compiled to WebAssembly (${wasmURL}, ${(wasm.byteLength / 1e6).toFixed(2)} MB)`;
  go.run(result.instance); // runs main until it waits for calls; resolves only on exit
  const api = globalThis.ferrumEngine;
  if (!api) {
    throw new Error('the engine did not start');
  }
  return {
    load(bytes) {
      const m = api.load(bytes);
      if (typeof m.error === 'string') {
        throw new Error(m.error);
      }
      return wrap(m, engine);
    },
  };
}

function wrap(m, engine) {
  const x = new Float32Array(m.inWidth);
  const xb = new Uint8Array(x.buffer);
  const y = new Float32Array(m.outWidth);
  const yb = new Uint8Array(y.buffer);
  return {
    inWidth: m.inWidth,
    outWidth: m.outWidth,
    info: {
      engine,
      layers: Array.from(m.layers),
      params: m.params,
      mean: Array.from(m.mean),
      std: Array.from(m.std),
    },
    predict(input) {
      if (input.length !== m.inWidth) {
        throw new Error(`predict expects ${m.inWidth} values, got ${input.length}`);
      }
      x.set(input);
      const err = m.predict(xb, yb);
      if (err) {
        throw new Error(err);
      }
      return y.slice();
    },
    release() {
      m.release();
    },
  };
}
