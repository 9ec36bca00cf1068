// The page: sliders for the model's inputs, live class probabilities, the
// predicted class, and an "about this model" panel. It reads site.json
// (written by the site builder, web/site) and runs the model through a
// back-end, any object of the shape
//
//   { inWidth, outWidth, predict(Float32Array) -> Float32Array, info? }
//
// The published model runs on loadPublished's back-end; a model file opened
// from disk ("try your own model") always runs on the Go engine (engine.js).
// Test hooks live in window.__ferrum: ready, error, timing.firstPrediction
// (ms since navigation start), backend, and last (the latest prediction's
// input and output as float32 bit patterns in hex).

import { loadGoEngine } from './engine.js';

const $ = (id) => document.getElementById(id);

const hooks = { ready: false, error: null, timing: {}, backend: null, last: null };
window.__ferrum = hooks;

const ACT_NAMES = { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', identity: 'Identity' };
const numberFormat = new Intl.NumberFormat('en');

let site = null; // site.json
let published = null; // { desc, backend }
let current = null; // { desc, backend, inputs: [{range, number}], last: class index }
let own = null; // the back-end of a model opened from disk

// loadPublished returns the back-end for the site's own model. site.json's
// optional "compiled" entry names a compiled module and its loader (an ES
// module exporting load(url) -> Promise<back-end>); without it the page
// runs the model file on the Go engine. A loader is an ES module exporting
// loadModel(url) -> Promise<back-end> (web/wasmgen/loader.js).
async function loadPublished(cfg) {
  if (cfg.compiled) {
    try {
      const loader = await import(new URL(cfg.compiled.loader, document.baseURI).href);
      return await loader.loadModel(cfg.compiled.file);
    } catch (e) {
      throw new Error(`The compiled model ${cfg.compiled.file} could not be loaded (${e.message}).`);
    }
  }
  const bytes = await fetchBytes(cfg.model.file, 'The model file');
  let engine;
  try {
    engine = await loadGoEngine(cfg.engine.file);
  } catch (e) {
    throw new Error(`The engine could not start: ${e.message}.`);
  }
  try {
    return engine.load(bytes);
  } catch (e) {
    throw new Error(`The model file ${cfg.model.file} is corrupt or not a FINF v2 model (${e.message}).`);
  }
}

async function fetchBytes(url, what) {
  let resp;
  try {
    resp = await fetch(url, { cache: 'no-cache' });
  } catch (e) {
    throw new Error(`${what} ${url} could not be fetched (${e.message}).`);
  }
  if (!resp.ok) {
    throw new Error(`${what} ${url} is missing (the server answered HTTP ${resp.status}).`);
  }
  return new Uint8Array(await resp.arrayBuffer());
}

function fail(message) {
  hooks.error = message;
  $('status').hidden = true;
  $('app').hidden = true;
  $('error-text').textContent = message;
  $('error').hidden = false;
}

async function main() {
  try {
    const bytes = await fetchBytes('site.json', 'The page description');
    site = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    fail(e.message);
    return;
  }
  if (site.title) {
    $('title').textContent = site.title;
    document.title = `${site.title}, running in your browser`;
  }
  let backend;
  try {
    backend = await loadPublished(site);
  } catch (e) {
    fail(e.message);
    return;
  }
  if (backend.inWidth !== site.features.length || backend.outWidth !== site.classes.length) {
    fail(`The model file ${site.model.file} takes ${backend.inWidth} inputs and gives ${backend.outWidth} outputs, ` +
      `but this page describes ${site.features.length} features and ${site.classes.length} classes.`);
    return;
  }
  published = { desc: publishedDesc(site, backend), backend };
  show(published);
  $('status').hidden = true;
  $('app').hidden = false;
  hooks.ready = true;

  $('reset').addEventListener('click', () => setValues(current.desc.features.map((f) => f.default)));
  $('own-file').addEventListener('change', openOwn);
  $('own-reset').addEventListener('click', () => {
    releaseOwn();
    show(published);
    $('own-reset').hidden = true;
    $('own-status').textContent = 'Back to the published model.';
  });
}

function publishedDesc(cfg, backend) {
  const facts = [
    ['Data set', cfg.dataset],
    ['Architecture', architecture(cfg.model.layers)],
    ['Parameters', numberFormat.format(cfg.model.params)],
    ['Model file', `${cfg.model.file}, ${numberFormat.format(cfg.model.bytes)} bytes (FINF v2, normaliser included)`],
  ];
  if (typeof cfg.testAccuracy === 'number') {
    let acc = `${(cfg.testAccuracy * 100).toFixed(1)} %`;
    if (cfg.testRows > 0) {
      acc += ` on ${cfg.testRows} held-out rows`;
    }
    facts.push(['Test accuracy', acc]);
  }
  const goEngine = `${cfg.engine.file}: the project's Go engine compiled to WebAssembly`;
  if (cfg.compiled) {
    facts.push(['Engine', `${cfg.compiled.file}, ${numberFormat.format(cfg.compiled.bytes)} bytes ` +
      `(${numberFormat.format(cfg.compiled.gzipBytes)} gzip): this model compiled to its own WebAssembly module`]);
    facts.push(['For your own model', `${goEngine}, loaded only when you open a file`]);
  } else {
    facts.push(['Engine', backend && backend.info ? backend.info.engine : goEngine]);
  }
  if (cfg.page) {
    facts.push(['Page weight', `${kilobytes(cfg.page.bytes)} (${kilobytes(cfg.page.gzipBytes)} gzip) in ` +
      `${cfg.page.files.length} files before the first prediction`]);
  }
  return { features: cfg.features, classes: cfg.classes, facts };
}

// kilobytes returns n bytes in KB (1024 bytes) with one decimal.
function kilobytes(n) {
  return `${(Math.round(n / 102.4) / 10).toFixed(1)} KB`;
}

// ownDesc describes a model opened from disk: slider ranges from its
// normaliser, names from the published model when the widths match.
function ownDesc(name, size, backend) {
  const { mean, std, layers, params } = backend.info;
  const features = [];
  for (let i = 0; i < backend.inWidth; i++) {
    const known = backend.inWidth === site.features.length ? site.features[i] : null;
    const m = mean.length ? mean[i] : 0;
    const s = std.length ? std[i] : 1;
    const step = niceStep(6 * s);
    features.push({
      name: known ? known.name : `input ${i + 1}`,
      unit: known ? known.unit : '',
      min: snap(m - 3 * s, step),
      max: snap(m + 3 * s, step),
      step,
      default: snap(m, step),
    });
  }
  const classes = backend.outWidth === site.classes.length
    ? site.classes
    : Array.from({ length: backend.outWidth }, (_, j) => `output ${j + 1}`);
  const facts = [
    ['Model file', `${name}, ${numberFormat.format(size)} bytes, opened from your disk`],
    ['Architecture', architecture(layers)],
    ['Parameters', numberFormat.format(params)],
    ['Normaliser', mean.length ? 'embedded in the file' : 'none: inputs are used as they are'],
    ['Engine', backend.info.engine],
  ];
  return { features, classes, facts };
}

// niceStep returns the largest power of ten at most range/20.
function niceStep(range) {
  if (!(range > 0) || !Number.isFinite(range)) {
    return 1;
  }
  let step = 1;
  while (step > range / 20) step /= 10;
  while (step * 10 <= range / 20) step *= 10;
  return Number(step.toPrecision(1));
}

function snap(v, step) {
  return Number((Math.round(v / step) * step).toPrecision(12));
}

function architecture(layers) {
  const parts = [];
  for (const l of layers) {
    if (l.kind === 'linear') {
      if (parts.length === 0) parts.push(String(l.in));
      parts.push(String(l.out));
    } else if (parts.length > 0) {
      parts[parts.length - 1] += ` (${ACT_NAMES[l.kind] || l.kind})`;
    }
  }
  return parts.join(' → ');
}

function pretty(name) {
  const s = name.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// show builds the sliders, bars and facts for desc and runs the first
// prediction.
function show(model) {
  const { desc, backend } = model;
  hooks.backend = backend;
  const form = $('features');
  form.replaceChildren();
  const inputs = desc.features.map((f, i) => {
    const row = document.createElement('div');
    row.className = 'feature';
    const id = `feature-${i}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.className = 'feature-name';
    label.textContent = pretty(f.name);
    if (f.unit) {
      const unit = document.createElement('span');
      unit.className = 'unit';
      unit.textContent = ` (${f.unit})`;
      label.append(unit);
    }
    const range = document.createElement('input');
    range.type = 'range';
    range.id = id;
    const number = document.createElement('input');
    number.type = 'number';
    number.id = `${id}-value`;
    number.inputMode = 'decimal';
    number.setAttribute('aria-label', `${pretty(f.name)}${f.unit ? ` in ${f.unit}` : ''}, exact value`);
    for (const el of [range, number]) {
      el.min = f.min;
      el.max = f.max;
      el.step = f.step;
      el.value = f.default;
    }
    const ends = document.createElement('div');
    ends.className = 'ends';
    ends.setAttribute('aria-hidden', 'true');
    ends.innerHTML = '<span></span><span></span>';
    ends.children[0].textContent = String(f.min);
    ends.children[1].textContent = String(f.max);
    range.addEventListener('input', () => {
      number.value = range.value;
      number.removeAttribute('aria-invalid');
      update();
    });
    number.addEventListener('input', () => {
      const v = Number.parseFloat(number.value);
      if (Number.isFinite(v)) {
        range.value = String(v);
      }
      update();
    });
    const controls = document.createElement('div');
    controls.className = 'controls';
    controls.append(range, number);
    row.append(label, controls, ends);
    form.append(row);
    return { range, number };
  });

  const bars = $('bars');
  bars.replaceChildren();
  const rows = desc.classes.map((name) => {
    const li = document.createElement('li');
    li.className = 'bar';
    const label = document.createElement('span');
    label.className = 'bar-name';
    label.textContent = name;
    const track = document.createElement('span');
    track.className = 'bar-track';
    track.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    track.append(fill);
    const pct = document.createElement('span');
    pct.className = 'bar-pct';
    li.append(label, track, pct);
    bars.append(li);
    return { li, fill, pct };
  });

  const about = $('about');
  about.replaceChildren();
  for (const [k, v] of desc.facts) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    about.append(dt, dd);
  }

  current = { desc, backend, inputs, rows, last: -1 };
  $('prediction').textContent = '';
  update();
}

function setValues(values) {
  current.inputs.forEach(({ range, number }, i) => {
    range.value = String(values[i]);
    number.value = String(values[i]);
    number.removeAttribute('aria-invalid');
  });
  update();
}

const bitsView = new DataView(new ArrayBuffer(4));
function bits(f) {
  bitsView.setFloat32(0, f, true);
  return bitsView.getUint32(0, true).toString(16).padStart(8, '0');
}

// update reads the inputs, predicts, and redraws the result.
function update() {
  const x = new Float32Array(current.inputs.length);
  let valid = true;
  current.inputs.forEach(({ number }, i) => {
    const v = Number.parseFloat(number.value);
    if (Number.isFinite(v)) {
      x[i] = v;
      number.removeAttribute('aria-invalid');
    } else {
      valid = false;
      number.setAttribute('aria-invalid', 'true');
    }
  });
  if (!valid) {
    return; // keep the last prediction until every field holds a number
  }
  const y = current.backend.predict(x);
  let best = 0;
  for (let j = 1; j < y.length; j++) {
    if (y[j] > y[best]) best = j;
  }
  current.rows.forEach(({ li, fill, pct }, j) => {
    const p = Math.min(Math.max(y[j], 0), 1);
    fill.style.transform = `scaleX(${p})`;
    pct.textContent = `${(p * 100).toFixed(1)} %`;
    li.classList.toggle('top', j === best);
  });
  if (best !== current.last) {
    $('prediction').textContent = current.desc.classes[best];
    current.last = best;
  }
  const last = {
    input: Array.from(x, bits),
    output: Array.from(y, bits),
    class: best,
  };
  const result = $('bars');
  result.dataset.inputBits = last.input.join(',');
  result.dataset.outputBits = last.output.join(',');
  hooks.last = last;
  if (hooks.timing.firstPrediction === undefined) {
    hooks.timing.firstPrediction = performance.now();
  }
}

function releaseOwn() {
  if (own && own.release) {
    own.release();
  }
  own = null;
}

async function openOwn(event) {
  const file = event.target.files[0];
  const status = $('own-status');
  if (!file) return;
  status.textContent = `Reading ${file.name}…`;
  let backend;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const engine = await loadGoEngine(site.engine.file);
    backend = engine.load(bytes);
    releaseOwn();
    own = backend;
    show({ desc: ownDesc(file.name, bytes.length, backend), backend });
    status.textContent = `Using your model ${file.name}.`;
    $('own-reset').hidden = false;
  } catch (e) {
    status.textContent = `${file.name} is not a usable model: ${e.message}.`;
  }
  event.target.value = '';
}

main();
