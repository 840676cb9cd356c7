// page_template.cpp: the page of page.h as text: its HTML, its CSS and its JavaScript.
//
// page.cpp fills the {{slots}} ({{model}}: the model file in base64; {{caption}}, {{digits}},
// {{pictures}}, {{sizes}}, {{parameters}}) and writes the result as one file. The text is in
// pieces of at most 12 kB, joined in order by page_template(), because some compilers (MSVC)
// refuse a single string literal longer than 16 kB.
//
// The script has two parts. The first, between "numerics: begin" and "numerics: end", is the
// C++ again in JavaScript: the model file reader (model_file.cpp), the PGM reader (pgm.cpp),
// the preparation (prepare_digit.cpp) and the forward pass (matrix.cpp, layers.cpp,
// network.cpp), each function naming the one it follows. It touches no web page, so
// tests/page/ runs exactly that text under Node.js and compares it with ./mnist predict. The
// second part draws: the pad, the steps, the bars and the grids.
#include "page_template.h"

namespace {

const char* const kPieces[] = {
R"page(<!DOCTYPE html>
<!-- Written by ./mnist (src/page.cpp, src/page_template.cpp): one self-contained page. The
     network's weights are the base64 text near the end (the bytes of the model file,
     docs/model-format.md); everything else is plain HTML, CSS and JavaScript. -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<!-- The browser enforces what this page promises: nothing is loaded from anywhere (default-src
     'none'), only the inline script and style run, and eval and its kin are refused. -->
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<title>Draw a digit: the {{sizes}} network</title>
<style>
/* Colours: blue for probabilities and activations (one hue, light to dark), orange for the
   predicted class, and ColorBrewer's red-blue scale for weights, as in plots.h: pairs that stay
   apart for the common kinds of colour blindness. Nothing is told by colour alone: the
   predicted class is also marked in words. */
:root { --ink: #1b1b1b; --muted: #555; --line: #d0d0d0; --blue: #2166ac; --orange: #d95f02;
        --paper: #fff; --panel: #f6f6f6; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--paper); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.5rem; margin: 16px 0 4px; }
h2 { font-size: 1.15rem; margin: 18px 0 8px; }
p { margin: 6px 0; }
.caption, .note, footer { color: var(--muted); font-size: 0.9rem; }
section { margin-bottom: 12px; }
button, .open { font: inherit; padding: 6px 12px; border: 1px solid #888; border-radius: 6px;
                background: #fff; color: var(--ink); cursor: pointer; }
button:focus-visible, canvas:focus-visible, .open:focus-within { outline: 3px solid var(--orange);
                                                                  outline-offset: 2px; }
.open input { font-size: 0.8rem; max-width: 190px; }
#draw { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
#pad { width: min(320px, 88vw); height: min(320px, 88vw); border: 2px solid var(--ink);
       border-radius: 8px; touch-action: none; cursor: crosshair; background: #fff; display: block; }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; max-width: min(320px, 88vw); }
#status { min-height: 3em; max-width: min(320px, 88vw); }
.answer { flex: 1 1 300px; min-width: 260px; }
#predicted { font-size: 1.3rem; margin: 0 0 8px; }
#predicted b { font-size: 2.2rem; color: var(--orange); vertical-align: middle; }
.prob { display: grid; grid-template-columns: 1.4em 1fr 6.2em; gap: 8px; align-items: center;
        font-variant-numeric: tabular-nums; margin: 3px 0; }
.prob .track { height: 18px; background: var(--panel); border: 1px solid var(--line); border-radius: 3px;
               overflow: hidden; }
.prob .fill { height: 100%; width: 0; background: var(--blue); }
.prob.top .fill { background: var(--orange); }
.prob.top { font-weight: bold; }
.prob .value { text-align: right; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9rem; }
.steps { display: flex; flex-wrap: wrap; gap: 14px; list-style: none; padding: 0; margin: 0; }
.steps li { width: 150px; font-size: 0.85rem; }
.steps canvas { width: 112px; height: 112px; image-rendering: pixelated; border: 1px solid var(--line);
                background: #000; display: block; margin-bottom: 4px; }
.steps li.skipped { opacity: 0.35; }
#layers { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.layer h3 { font-size: 0.95rem; margin: 0 0 4px; font-weight: normal; }
.layer canvas { display: block; border: 1px solid var(--line); cursor: pointer; touch-action: manipulation;
                max-width: 88vw; }
#detail { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 14px; padding: 10px; background: var(--panel);
          border-radius: 8px; min-height: 120px; }
#detail canvas { width: 168px; height: 168px; image-rendering: pixelated; border: 1px solid var(--line);
                 background: #fff; }
#detail-text { flex: 1 1 280px; font-size: 0.9rem; }
#detail-text ol { margin: 4px 0; padding-left: 1.4em; font-family: ui-monospace, Menlo, Consolas, monospace;
                  font-size: 0.85rem; }
.legend { display: inline-block; width: 90px; height: 10px; vertical-align: middle; border: 1px solid var(--line); }
.digits { display: flex; flex-wrap: wrap; gap: 8px; }
.digit { display: flex; flex-direction: column; align-items: center; padding: 4px; font-size: 0.8rem; line-height: 1.2; }
.digit canvas { width: 56px; height: 56px; image-rendering: pixelated; background: #000; }
.pictures { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; flex: 1 1 480px; max-width: 100%; }
figure svg { max-width: 100%; height: auto; display: block; border: 1px solid var(--line); }
figcaption { font-weight: bold; margin-bottom: 4px; }
figcaption .file { font-weight: normal; color: var(--muted); }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
@media (max-width: 600px) {
  body { font-size: 15px; }
  .steps li { width: calc(50% - 8px); }
  .steps canvas { width: 100%; height: auto; aspect-ratio: 1; }
}
</style>
</head>
)page",
R"page(<body>
<header>
<h1>Draw a digit, and watch the network read it</h1>
<p class="caption">{{caption}}. Its {{parameters}} parameters are all inside this page; nothing you
draw leaves your computer.</p>
</header>
<main>
<section id="draw" aria-label="drawing pad and answer">
<div>
<canvas id="pad" width="280" height="280" tabindex="0" role="img"
        aria-label="Drawing pad: draw one digit with the mouse, a pen or a finger"></canvas>
<div class="buttons">
<button type="button" id="clear" title="Clear the pad (Escape or Delete)">Clear</button>
<button type="button" id="undo" title="Undo the last stroke (Ctrl+Z or Backspace)">Undo</button>
<button type="button" id="save" title="Save the pad as a PGM image for ./mnist predict">Save as PGM</button>
<label class="open" title="Open a PGM image, as ./mnist predict reads it">Open a PGM
<input type="file" id="open" accept=".pgm,image/x-portable-graymap"></label>
</div>
<p id="status" role="status" aria-live="polite">Draw a digit in the box: with the mouse, a pen or a finger.</p>
</div>
<div class="answer">
<h2>The network's answer</h2>
<p id="predicted">&nbsp;</p>
<div id="probs" aria-label="probability of each class"></div>
<p class="note">The ten numbers are the softmax of the last layer: they add up to 1, and the largest
is the answer. They are computed in float32, as <code>./mnist predict</code> computes them, and printed
the way it prints them.</p>
</div>
</section>

<section id="prepare">
<h2>What the network is shown</h2>
<p class="note">The network has only ever seen MNIST digits: white ink on black, about 20 pixels
tall, centred by their centre of mass in 28x28. So your drawing is prepared the same way first,
exactly as <code>./mnist predict</code> prepares a picture (src/prepare_digit.cpp):</p>
<ol class="steps">
<li id="step-ink"><canvas width="28" height="28"></canvas><span>1. Ink made bright on dark,
darkest..brightest stretched to 0..1, and the box around the ink (pixels above 1/4) found:
<b class="info"></b></span></li>
<li id="step-crop"><canvas width="28" height="28"></canvas><span>2. Cropped to the ink's box:
<b class="info"></b></span></li>
<li id="step-box"><canvas width="20" height="20"></canvas><span>3. Scaled to fit 20x20, keeping its
shape, by averaging areas: <b class="info"></b></span></li>
<li id="step-field"><canvas width="28" height="28"></canvas><span>4. Placed in 28x28 with its centre
of mass (the cross) near the middle: <b class="info"></b></span></li>
</ol>
</section>

<section id="inside">
<h2>Inside the network</h2>
<p class="note">Each cell is one unit, its shade its activation (white 0, dark blue the layer's
largest). Point at a unit, tap it, or use the arrow keys on a focused grid: for a first-layer unit
you see its 784 input weights as a 28x28 picture (<span class="legend" id="weights-legend"></span>
blue lowers the unit's value where there is ink, red raises it); for any other unit, the inputs
that pushed it most for this drawing.</p>
<div id="layers"></div>
<div id="detail"><canvas id="detail-picture" width="28" height="28"></canvas>
<div id="detail-text">Point at a unit above.</div></div>
</section>
{{digits}}{{pictures}}</main>
<footer>
<p>Made by <code>./mnist</code>: the network's weights are inside this file, and the
script below computes what <code>./mnist predict</code> computes, line by line (see
docs/predict.md). It needs no server and makes no request.</p>
</footer>

<!-- The model file, byte for byte (docs/model-format.md), in base64. The script decodes it
     into numbers with a DataView; it is never run as code. -->
<script type="application/octet-stream" id="model-file">
{{model}}</script>
)page",
R"page(<script>
// ==== numerics: begin ====
// Everything from here to "numerics: end" computes and touches no web page, so that the tests
// (tests/page/) can run exactly this text under Node.js. Each function names the C++ it
// follows; read them side by side.
"use strict";

// Float32 arithmetic. A JavaScript number is a double. A double holds the exact sum, difference
// or product of two floats, and their quotient rounded well enough, so rounding that double to
// the nearest float with Math.fround gives the float the C++ computes. Hence: fround after
// every operation on floats, exactly where the C++ rounds.
const f32 = Math.fround;

// C++ std::lround: to the nearest whole number, halves away from zero. (Math.round sends halves
// up, -2.5 to -2; and Math.floor(x + 0.5) is wrong for 0.49999999999999994, where x + 0.5
// rounds up to 1.) x - trunc(x) is exact in double, so this is exact.
function lround(x) {
  const whole = Math.trunc(x);
  const fraction = x - whole;
  if (fraction >= 0.5) return whole + 1;
  if (fraction <= -0.5) return whole - 1;
  return whole;
}

function clamp(x, low, high) {
  return x < low ? low : high < x ? high : x;
}

// ---- The model file (model_file.cpp) -----------------------------------------------------

// atob() turns base64 text into a "binary string", one character per byte (0-255).
function bytesFromBase64(text) {
  const binary = atob(text.replace(/\s+/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// crc32(): zlib's CRC-32, bit by bit, as in model_file.cpp. >>> 0 keeps the value an unsigned
// 32-bit number (JavaScript's bit operators work on signed 32-bit integers).
function crc32(bytes, count) {
  let crc = 0xFFFFFFFF;
  for (let i = 0; i < count; ++i) {
    crc = (crc ^ bytes[i]) >>> 0;
    for (let bit = 0; bit < 8; ++bit) crc = ((crc >>> 1) ^ (0xEDB88320 & -(crc & 1))) >>> 0;
  }
  return (crc ^ 0xFFFFFFFF) >>> 0;
}

// decode_model(): the same checks in the same order, then the floats, little-endian. Returns
// { sizes, layers: [{ D, H, W, b }] } with W (D x H, row-major) and b (H) as Float32Arrays.
function decodeModel(bytes) {
  const fail = (what) => { throw new Error("the model in this page " + what); };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at) => view.getUint32(at, true);
  const size = bytes.length;
  if (size < 16 || String.fromCharCode(...bytes.subarray(0, 8)) !== "MNISTMLP")
    fail("is not a model file (it does not start with \"MNISTMLP\")");
  if (u32(8) !== 1) fail("is of format version " + u32(8) + "; this page reads version 1");
  const n = u32(12);
  if (n < 2 || n > 34) fail("claims " + n + " layer sizes");
  const header = 16 + 4 * n;
  if (size < header) fail("is truncated");
  const sizes = [];
  for (let i = 0; i < n; ++i) sizes.push(u32(16 + 4 * i));
  if (sizes.includes(0)) fail("has a layer of size 0");
  if (sizes[n - 1] !== 10) fail("has " + sizes[n - 1] + " outputs, not 10");
  let floats = 0;
  for (let l = 0; l + 1 < n; ++l) floats += sizes[l] * sizes[l + 1] + sizes[l + 1];
  if (size !== header + 4 * floats + 4) fail("has " + size + " bytes, its sizes need " + (header + 4 * floats + 4));
  if (crc32(bytes, size - 4) !== u32(size - 4)) fail("is corrupted (checksum mismatch)");
  const layers = [];
  let at = header;
  for (let l = 0; l + 1 < n; ++l) {
    const D = sizes[l], H = sizes[l + 1];
    const W = new Float32Array(D * H), b = new Float32Array(H);
    for (let i = 0; i < D * H; ++i, at += 4) W[i] = view.getFloat32(at, true);
    for (let i = 0; i < H; ++i, at += 4) b[i] = view.getFloat32(at, true);
    layers.push({ D, H, W, b });
  }
  return { sizes, layers };
}

// ---- A PGM image (pgm.cpp's parse_pgm) ----------------------------------------------------

// Returns { width, height, maxval, pixels: Uint8Array } or throws an Error whose message
// starts with `name`, as the C++ does. The same rules: P2 or P5, comments in the header,
// 8 bits per pixel, nothing after the pixels.
function parsePgm(file, name) {
  const fail = (what) => { throw new Error(name + ": " + what); };
  const isSpace = (c) => c === 32 || (c >= 9 && c <= 13);
  const isDigit = (c) => c >= 48 && c <= 57;
  if (file.length === 0) fail("is empty (0 bytes), not a PGM image");
  if (file.length < 2 || file[0] !== 80 || (file[1] !== 50 && file[1] !== 53))
    fail("is not a PGM image: it should start with P2 or P5");
  const binary = file[1] === 53;
  let at = 2;
  if (at < file.length && !isSpace(file[at]) && file[at] !== 35)
    fail("is not a PGM image: its magic must be followed by white space");
  const skipSpace = (comments) => {
    while (at < file.length) {
      if (isSpace(file[at])) ++at;
      else if (comments && file[at] === 35) { while (at < file.length && file[at] !== 10 && file[at] !== 13) ++at; }
      else break;
    }
  };
  const readNumber = (what, comments) => {
    skipSpace(comments);
    if (at >= file.length) fail("is truncated: it ends before " + what);
    if (!isDigit(file[at])) fail(what + " should be a whole number");
    let value = 0, digits = 0;
    while (at < file.length && isDigit(file[at])) {
      if (++digits > 9) fail(what + " has more than 9 digits");
      value = value * 10 + (file[at++] - 48);
    }
    return value;
  };
  const width = readNumber("the width", true), height = readNumber("the height", true);
  if (width === 0 || height === 0) fail("is " + width + "x" + height + " pixels: an image needs at least one");
  const maxval = readNumber("maxval", true);
  if (maxval === 0) fail("has maxval 0; it must be 1 to 255");
  if (maxval > 255) fail("has maxval " + maxval + "; save it with 8 bits per pixel (maxval 255)");
  const count = width * height;
  const left = file.length - at;
  if ((binary && count > left) || (!binary && 2 * count - 1 > left)) fail("is truncated");
  const pixels = new Uint8Array(count);
  if (binary) {
    if (at >= file.length || !isSpace(file[at])) fail("needs one white-space character after maxval");
    ++at;
    const available = file.length - at;
    if (available < count) fail("is truncated");
    if (available > count) fail("has " + (available - count) + " bytes after its pixels; one image per file");
    pixels.set(file.subarray(at, at + count));
  } else {
    for (let i = 0; i < count; ++i) {
      const v = readNumber("pixel " + i, false);
      if (v > maxval) fail("pixel " + i + " is " + v + ", above maxval " + maxval);
      pixels[i] = v;
    }
    skipSpace(false);
    if (at < file.length) fail("has bytes after its pixels; one image per file");
  }
  for (let i = 0; i < count; ++i) if (pixels[i] > maxval) fail("pixel " + i + " is above maxval " + maxval);
  return { width, height, maxval, pixels };
}

// write_pgm()'s bytes (pgm.cpp's encode_pgm): a P5 header, a comment, then the pixels.
function encodePgm(image, comment) {
  const header = "P5\n# " + comment + "\n" + image.width + " " + image.height + "\n" + image.maxval + "\n";
  const bytes = new Uint8Array(header.length + image.pixels.length);
  for (let i = 0; i < header.length; ++i) bytes[i] = header.charCodeAt(i);
  bytes.set(image.pixels, header.length);
  return bytes;
}

// ---- Preparing the digit (prepare_digit.cpp) ----------------------------------------------
// Doubles, as in the C++: a JavaScript number is the C++ double, operation for operation.

const kDigitSide = 28, kDigitBox = 20;

// struct Grid: rows x cols doubles, v[r * cols + c].
function makeGrid(rows, cols) {
  return { rows, cols, v: new Float64Array(rows * cols) };
}

// to_grid(): the pixels scaled to [0, 1].
function toGrid(image) {
  const g = makeGrid(image.height, image.width);
  for (let i = 0; i < image.pixels.length; ++i) g.v[i] = image.pixels[i] / image.maxval;
  return g;
}

// Step 1, needs_inversion(): the mean of the outermost ring above one half means light paper.
function needsInversion(g) {
  let sum = 0, count = 0;
  for (let r = 0; r < g.rows; ++r)
    for (let c = 0; c < g.cols; ++c)
      if (r === 0 || c === 0 || r === g.rows - 1 || c === g.cols - 1) {
        sum += g.v[r * g.cols + c];
        ++count;
      }
  return sum / count > 0.5;
}

// invert()
function invert(g) {
  for (let i = 0; i < g.v.length; ++i) g.v[i] = 1 - g.v[i];
}

// Step 2a, stretch_contrast(): darkest to 0, brightest to 1; false for a flat image.
function stretchContrast(g) {
  let low = g.v[0], high = g.v[0];
  for (const x of g.v) {
    if (x < low) low = x;
    if (x > high) high = x;
  }
  if (!(high > low)) return false;
  for (let i = 0; i < g.v.length; ++i) g.v[i] = (g.v[i] - low) / (high - low);
  return true;
}

// Step 2b, crop_to_ink(): the box of the pixels above a quarter. Also returns where it was.
function cropToInk(g) {
  let top = g.rows, bottom = -1, left = g.cols, right = -1;
  for (let r = 0; r < g.rows; ++r)
    for (let c = 0; c < g.cols; ++c)
      if (g.v[r * g.cols + c] > 0.25) {
        top = Math.min(top, r);
        bottom = Math.max(bottom, r);
        left = Math.min(left, c);
        right = Math.max(right, c);
      }
  const box = makeGrid(bottom - top + 1, right - left + 1);
  for (let r = 0; r < box.rows; ++r)
    for (let c = 0; c < box.cols; ++c) box.v[r * box.cols + c] = g.v[(top + r) * g.cols + left + c];
  return { box, top, left };
}

// overlap(): the length shared by [a0, a1) and [b0, b1).
function overlap(a0, a1, b0, b1) {
  return Math.max(0.0, Math.min(a1, b1) - Math.max(a0, b0));
}

// Step 3, resample(): area averaging to rows x cols, the same loops in the same order (the
// order of the additions decides the last bit of each sum).
function resample(g, rows, cols) {
  const out = makeGrid(rows, cols);
  const rowStep = g.rows / rows, colStep = g.cols / cols;
  for (let i = 0; i < rows; ++i) {
    const r0 = i * rowStep, r1 = (i + 1) * rowStep;
    for (let j = 0; j < cols; ++j) {
      const c0 = j * colStep, c1 = (j + 1) * colStep;
      let sum = 0;
      for (let r = Math.trunc(r0); r < g.rows && r < r1; ++r) {
        const h = overlap(r0, r1, r, r + 1);
        for (let c = Math.trunc(c0); c < g.cols && c < c1; ++c) sum += g.v[r * g.cols + c] * h * overlap(c0, c1, c, c + 1);
      }
      out.v[i * cols + j] = sum / (rowStep * colStep);
    }
  }
  return out;
}

// fit_box(): the longer side becomes 20, the other keeps the aspect ratio.
function fitBox(rows, cols) {
  const scale = kDigitBox / Math.max(rows, cols);
  return {
    rows: Math.max(1, Math.min(kDigitBox, lround(rows * scale))),
    cols: Math.max(1, Math.min(kDigitBox, lround(cols * scale))),
  };
}

// Step 4, centre_by_mass(): the centre of mass onto (14, 14), clamped so no ink is lost.
function centreByMass(box) {
  let mass = 0, rowMoment = 0, colMoment = 0;
  for (let r = 0; r < box.rows; ++r)
    for (let c = 0; c < box.cols; ++c) {
      const v = box.v[r * box.cols + c];
      mass += v;
      rowMoment += v * r;
      colMoment += v * c;
    }
  const centreR = mass > 0 ? rowMoment / mass : (box.rows - 1) / 2.0;
  const centreC = mass > 0 ? colMoment / mass : (box.cols - 1) / 2.0;
  const half = kDigitSide / 2;
  const top = clamp(lround(half - centreR), 0, kDigitSide - box.rows);
  const left = clamp(lround(half - centreC), 0, kDigitSide - box.cols);
  const field = makeGrid(kDigitSide, kDigitSide);
  for (let r = 0; r < box.rows; ++r)
    for (let c = 0; c < box.cols; ++c) field.v[(top + r) * kDigitSide + left + c] = box.v[r * box.cols + c];
  return { field, top, left, centreR, centreC };
}

// Step 5, to_bytes(): [0, 1] to 0..255, rounded to the nearest.
function toBytes(g) {
  const bytes = new Uint8Array(g.v.length);
  for (let i = 0; i < g.v.length; ++i) bytes[i] = lround(clamp(g.v[i], 0.0, 1.0) * 255);
  return bytes;
}

// prepare_digit(): the same fields as struct PreparedDigit (pixels, inverted, reboxed, the ink's
// and the box's sizes, blank), and `steps`, the intermediate pictures the page shows.
)page",
R"page(function prepareDigit(image) {
  const out = { pixels: null, inverted: false, reboxed: false, inkWidth: 0, inkHeight: 0,
                boxWidth: 0, boxHeight: 0, blank: false, steps: null };
  const g = toGrid(image);
  out.inverted = needsInversion(g);
  if (out.inverted) invert(g);

  // Already MNIST's size: taken as prepared.
  if (image.width === kDigitSide && image.height === kDigitSide) {
    out.pixels = toBytes(g);
    out.blank = out.pixels.every((p) => p === out.pixels[0]);
    return out;
  }

  out.reboxed = true;
  if (!stretchContrast(g)) {
    out.blank = true;
    out.pixels = new Uint8Array(kDigitSide * kDigitSide);
    return out;
  }
  const crop = cropToInk(g);
  const ink = crop.box;
  out.inkWidth = ink.cols;
  out.inkHeight = ink.rows;
  const fit = fitBox(ink.rows, ink.cols);
  out.boxHeight = fit.rows;
  out.boxWidth = fit.cols;
  const box = resample(ink, out.boxHeight, out.boxWidth);
  const centred = centreByMass(box);
  out.pixels = toBytes(centred.field);
  out.steps = { grid: g, inkTop: crop.top, inkLeft: crop.left, ink, box, centred };
  return out;
}

// ---- The forward pass (matrix.cpp, layers.cpp, network.cpp), for one image: N = 1 ---------

// ---- e^x (exp_log.cpp): the program's own, so the same bits ---------------------------------
// A C library's exp is not required to be correctly rounded, and each library (and each
// browser's Math.exp) picks its own last bit now and then. So the program computes e^x itself,
// with operations IEEE 754 rounds the same way everywhere (Cody and Waite's range reduction,
// fdlibm's constants, the Taylor polynomial of e^r), and so does the page: exponential_with()
// of exp_log.cpp, line for line.

// A double from its 64 bits, high and low halves: the hexadecimal constants of exp_log.cpp,
// with no decimal conversion in between.
function doubleFromBits(high, low) {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}
const ln2Hi = doubleFromBits(0x3FE62E42, 0xFEE00000);  // 0x1.62e42feep-1
const ln2Lo = doubleFromBits(0x3DEA39EF, 0x35793C76);  // 0x1.a39ef35793c76p-33
const log2E = doubleFromBits(0x3FF71547, 0x652B82FE);  // 0x1.71547652b82fep+0
const expCoefficients = [1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                         1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800];

// std::ldexp(p, k) = p 2^k, rounded once. 2^k is built from its bits (exact), and for the
// smallest k in two steps, the first exact, so that only the last multiplication rounds.
function twoTo(k) {
  return doubleFromBits(((k + 1023) * 0x100000) >>> 0, 0);  // valid for -1022 <= k <= 1023
}
function ldexp(p, k) {
  if (k > 1023) return p * twoTo(1023) * twoTo(k - 1023);
  if (k < -1022) return p * twoTo(k + 600) * twoTo(-600);
  return p * twoTo(k);
}

// exponential_with(x, exp_coefficients), line by line.
function exponential(x) {
  if (Number.isNaN(x)) return x;
  if (x > 710) return Infinity;
  if (x < -746) return 0;
  const k = Math.floor(x * log2E + 0.5);
  const r = (x - k * ln2Hi) - k * ln2Lo;
  let q = expCoefficients[13];
  for (let n = 12; n >= 2; --n) q = q * r + expCoefficients[n];
  const sum = 1 + r;
  const sumError = (1 - sum) + r;
  const p = sum + (sumError + (r * r) * q);
  return ldexp(p, k);
}

// exponential(float) of exp_log.h: in double, rounded once to float.
function expf(x) {
  return f32(exponential(x));
}

// matmul() of matrix.cpp, for the one row of X (N = 1):
//     Z[j] = sum_p x[p] W[p][j],  p = 0 .. D-1 in that order, starting from 0.
// The order of the additions decides the last bit of each sum, so it is the C++'s. (The fast
// kernels of fast_matrix.cpp compute the very same sums, in the same order, and skip the zeros
// of x, which add nothing; this is the plain loop they are held to.)
function matmul(x, W, D, H) {
  const z = new Float32Array(H);
  for (let j = 0; j < H; ++j) {
    let sum = 0;
    for (let p = 0; p < D; ++p) sum = f32(sum + f32(x[p] * W[p * H + j]));
    z[j] = sum;
  }
  return z;
}

// dense_forward(): Z = X W (matmul), then Z[n][:] += b (add_row_to_each_row).
function denseForward(x, layer) {
  const z = matmul(x, layer.W, layer.D, layer.H);
  for (let j = 0; j < layer.H; ++j) z[j] = f32(z[j] + layer.b[j]);
  return z;
}

// relu_forward(): A = max(0, Z).
function reluForward(z) {
  const a = new Float32Array(z.length);
  for (let i = 0; i < z.length; ++i) a[i] = z[i] > 0 ? z[i] : 0;
  return a;
}

// softmax_forward(): exp of (logit - the largest logit), divided by their sum.
function softmaxForward(z) {
  const p = new Float32Array(z.length);
  let largest = z[0];
  for (let k = 1; k < z.length; ++k) if (z[k] > largest) largest = z[k];  // std::max_element
  let sum = 0;
  for (let k = 0; k < z.length; ++k) {
    p[k] = expf(f32(z[k] - largest));
    sum = f32(sum + p[k]);
  }
  for (let k = 0; k < z.length; ++k) p[k] = f32(p[k] / sum);
  return p;
}

// The input row X, as predict_command.cpp builds it: X(0, p) = pixels[p] / 255.0f.
function inputRow(pixels) {
  const x = new Float32Array(pixels.length);
  for (let p = 0; p < pixels.length; ++p) x[p] = f32(pixels[p] / 255);
  return x;
}

// forward() of network.cpp: dense, ReLU, dense, ReLU, ..., dense, softmax. Returns the cache
// as the C++ keeps it: Z[l] for every layer, A[l] for the hidden ones, and probs.
function forward(net, x) {
  const L = net.layers.length;
  const Z = [], A = [];
  for (let l = 0; l < L; ++l) {
    const input = l === 0 ? x : A[l - 1];
    Z.push(denseForward(input, net.layers[l]));
    if (l < L - 1) A.push(reluForward(Z[l]));
  }
  return { Z, A, probs: softmaxForward(Z[L - 1]) };
}

// predicted_class(): the first of the largest.
function predictedClass(probs) {
  let best = 0;
  for (let k = 1; k < probs.length; ++k) if (probs[k] > probs[best]) best = k;
  return best;
}

// A probability as class_scores_text() in terminal.cpp prints it: "%.4f", or "%.1e" below
// 1e-4 (C writes at least two exponent digits: 1.2e-05).
function probabilityText(p) {
  if (p >= 1e-4 || p === 0) return p.toFixed(4);
  const [mantissa, exponent] = p.toExponential(1).split("e");
  const sign = exponent[0], digits = exponent.slice(1);
  return mantissa + "e" + sign + (digits.length < 2 ? "0" + digits : digits);
}

// ---- The drawing pad's pixels ---------------------------------------------------------------
// The pad is a grey image, 255 paper and 0 ink, drawn here rather than by the browser's canvas:
// the same strokes then give the same pixels in every browser and under Node.js, and "Save as
// PGM" saves exactly what the network was shown.

const kPadSide = 280;
const kPenRadius = 10;  // a 200-pixel digit shrunk to 20 pixels keeps a 2-pixel stroke, as MNIST's

// Darkens the pixels near the segment (x0, y0)-(x1, y1), in pad pixels. A pixel's ink is how
// far its centre lies inside the pen's edge (1 fully inside, 0 outside, a ramp one pixel wide
// between: anti-aliasing); a pixel keeps the darkest ink it has received.
function drawSegment(grey, x0, y0, x1, y1) {
  const R = kPenRadius;
  const dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
  const rowBegin = Math.max(0, Math.floor(Math.min(y0, y1) - R - 1));
  const rowEnd = Math.min(kPadSide - 1, Math.ceil(Math.max(y0, y1) + R + 1));
  const colBegin = Math.max(0, Math.floor(Math.min(x0, x1) - R - 1));
  const colEnd = Math.min(kPadSide - 1, Math.ceil(Math.max(x0, x1) + R + 1));
  for (let r = rowBegin; r <= rowEnd; ++r)
    for (let c = colBegin; c <= colEnd; ++c) {
      const px = c + 0.5, py = r + 0.5;
      // The nearest point of the segment: x0 + t (dx, dy), t in [0, 1].
      const t = length2 > 0 ? clamp(((px - x0) * dx + (py - y0) * dy) / length2, 0, 1) : 0;
      const ex = px - (x0 + t * dx), ey = py - (y0 + t * dy);
      const ink = clamp(R + 0.5 - Math.sqrt(ex * ex + ey * ey), 0, 1);
      const value = Math.round(255 * (1 - ink));
      if (value < grey[r * kPadSide + c]) grey[r * kPadSide + c] = value;
    }
}

// A whole stroke, a list of [x, y] points: each segment in turn (one point is a dot).
function drawStroke(grey, points) {
  if (points.length === 1) drawSegment(grey, points[0][0], points[0][1], points[0][0], points[0][1]);
  for (let i = 1; i < points.length; ++i) drawSegment(grey, points[i - 1][0], points[i - 1][1], points[i][0], points[i][1]);
}

// The pad as a PGM image (maxval 255), for prepareDigit() and for "Save as PGM".
function padImage(grey) {
  return { width: kPadSide, height: kPadSide, maxval: 255, pixels: grey };
}
// ==== numerics: end ====
)page",
R"page(
// ---- The page: the pad, the pictures and the bars ------------------------------------------
// Everything below draws what the numerics above computed; nothing here changes a number.
(function () {
const $ = (id) => document.getElementById(id);
const net = decodeModel(bytesFromBase64($("model-file").textContent));
const L = net.layers.length;

// What the tests read: the last result, and a counter that moves after every update.
const state = { version: 0, ready: false, source: null, prepared: null, probs: null, predicted: -1,
                error: "", padPgm: () => (state.source ? Array.from(encodePgm(state.source, "drawn on the page of ./mnist")) : null) };
window.digitPage = state;

// ---- Colours ----
function mix(a, b, t) {
  t = clamp(t, 0, 1);
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
}
const WHITE = [255, 255, 255], BLUE = [8, 81, 156];
const WEIGHT_NEGATIVE = [33, 102, 172], WEIGHT_POSITIVE = [178, 24, 43];  // plots.h
const css = (rgb) => "rgb(" + rgb.join(",") + ")";
$("weights-legend").style.background =
  "linear-gradient(to right," + css(WEIGHT_NEGATIVE) + ",#fff," + css(WEIGHT_POSITIVE) + ")";

// Draws a rows x cols picture, colourOf(i) giving the [r, g, b] of pixel i, scaled into the
// canvas (at most `side` CSS pixels a side, keeping the shape), then overlay(context, scale).
function drawPicture(canvas, rows, cols, colourOf, side, overlay) {
  const picture = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; ++i) {
    const rgb = colourOf(i);
    picture.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
  }
  const scale = side / Math.max(rows, cols), ratio = window.devicePixelRatio || 1;
  canvas.style.width = cols * scale + "px";
  canvas.style.height = rows * scale + "px";
  canvas.width = Math.round(cols * scale * ratio);
  canvas.height = Math.round(rows * scale * ratio);
  const native = document.createElement("canvas");
  native.width = cols;
  native.height = rows;
  native.getContext("2d").putImageData(picture, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(native, 0, 0, canvas.width, canvas.height);
  if (overlay) {
    context.save();
    context.scale(scale * ratio, scale * ratio);
    overlay(context, scale * ratio);
    context.restore();
  }
}
const greyOf = (value) => [value, value, value];

// ---- The pad ----
const pad = $("pad"), padContext = pad.getContext("2d");
const grey = new Uint8Array(kPadSide * kPadSide).fill(255);
// Everything the user did, in order: { kind: "stroke", points }, { kind: "image", image } (a
// loaded picture) or { kind: "clear" }. Undo removes the last; the pad is redrawn from the rest.
const history = [];
let stroke = null;  // the stroke being drawn

// What is on the pad now: the last loaded image (if not cleared since) and the strokes after it.
function scene() {
  let image = null, strokes = [];
  for (const action of history) {
    if (action.kind === "clear") { image = null; strokes = []; }
    else if (action.kind === "image") { image = action.image; strokes = []; }
    else strokes.push(action);
  }
  return { image, strokes };
}

// A loaded image on the pad, scaled up (nearest pixel) and made dark ink on light paper, so that
// strokes drawn over it add ink of the same kind.
function paintImage(image) {
  const lightPaper = needsInversion(toGrid(image));
  for (let r = 0; r < kPadSide; ++r)
    for (let c = 0; c < kPadSide; ++c) {
      const v = image.pixels[Math.floor(r * image.height / kPadSide) * image.width + Math.floor(c * image.width / kPadSide)] / image.maxval;
      grey[r * kPadSide + c] = Math.round(255 * (lightPaper ? v : 1 - v));
    }
}

function showPad() {
  const picture = padContext.createImageData(kPadSide, kPadSide);
  for (let i = 0; i < grey.length; ++i) picture.data.set([grey[i], grey[i], grey[i], 255], 4 * i);
  padContext.putImageData(picture, 0, 0);
}

// The image the network is shown: a loaded picture on its own is prepared as it is (a 28x28
// test digit goes straight in, as with ./mnist predict); once drawn on, the pad's pixels.
function rebuild() {
  const { image, strokes } = scene();
  grey.fill(255);
  if (image) paintImage(image);
  for (const s of strokes) drawStroke(grey, s.points);
  state.source = image && strokes.length === 0 ? image : image || strokes.length > 0 ? padImage(grey) : null;
  showPad();
  schedule();
}

function padPoint(event) {
  const rect = pad.getBoundingClientRect();
  return [(event.clientX - rect.left) * kPadSide / rect.width, (event.clientY - rect.top) * kPadSide / rect.height];
}

pad.addEventListener("pointerdown", (event) => {
  if (event.pointerType === "mouse" && event.button !== 0) return;
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  stroke = { kind: "stroke", points: [padPoint(event)], pointer: event.pointerId };
  history.push(stroke);
  drawStroke(grey, stroke.points);
  state.source = padImage(grey);
  showPad();
  schedule();
});
pad.addEventListener("pointermove", (event) => {
  if (stroke === null || event.pointerId !== stroke.pointer) return;
  event.preventDefault();
  // A fast hand moves further between two frames than one event says: the coalesced events
  // hold every point the device reported.
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const e of events.length > 0 ? events : [event]) {
    const point = padPoint(e), last = stroke.points[stroke.points.length - 1];
    drawSegment(grey, last[0], last[1], point[0], point[1]);
    stroke.points.push(point);
  }
  showPad();
  schedule();
});
const endStroke = (event) => { if (stroke !== null && event.pointerId === stroke.pointer) stroke = null; };
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);

function clearPad() {
  if (stroke !== null) return;
  const { image, strokes } = scene();
  if (image === null && strokes.length === 0) return;
  history.push({ kind: "clear" });
  rebuild();
}
function undo() {
  if (stroke !== null || history.length === 0) return;
  history.pop();
  rebuild();
}
function loadImage(image, what) {
  history.push({ kind: "image", image });
  $("status").textContent = what + " loaded; draw over it, or undo.";
  rebuild();
}
$("clear").addEventListener("click", clearPad);
$("undo").addEventListener("click", undo);
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement) return;
  if (event.key === "Escape" || event.key === "Delete") { clearPad(); event.preventDefault(); }
  else if (event.key === "Backspace" || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z")) {
    undo();
    event.preventDefault();
  }
});
$("open").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    loadImage(parsePgm(new Uint8Array(await file.arrayBuffer()), file.name), file.name);
  } catch (error) {
    state.error = error.message;
    $("status").textContent = error.message;
    state.version++;
  }
  event.target.value = "";
});
$("save").addEventListener("click", () => {
  if (state.source === null) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([encodePgm(state.source, "drawn on the page of ./mnist")], { type: "image/x-portable-graymap" }));
  link.download = "digit.pgm";
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});
for (const button of document.querySelectorAll("button.digit")) {
  const pixels = bytesFromBase64(button.dataset.pixels);
  drawPicture(button.querySelector("canvas"), 28, 28, (i) => greyOf(pixels[i]), 56);
  button.addEventListener("click", () =>
    loadImage({ width: 28, height: 28, maxval: 255, pixels }, "Test image " + button.dataset.index));
}

// ---- The bars ----
const bars = [];
for (let k = 0; k < 10; ++k) {
  const row = document.createElement("div");
  row.className = "prob";
  row.innerHTML = "<span>" + k + "</span><div class=\"track\"><div class=\"fill\"></div></div><span class=\"value\"></span>";
  $("probs").appendChild(row);
  bars.push(row);
}
function showBars(probs, predicted) {
  for (let k = 0; k < 10; ++k) {
    const row = bars[k];
    row.classList.toggle("top", k === predicted);
    row.querySelector(".fill").style.width = probs ? (100 * probs[k]).toFixed(2) + "%" : "0";
    row.querySelector(".value").textContent = probs ? probabilityText(probs[k]) + (k === predicted ? " \u2190" : "") : "";
  }
  $("predicted").innerHTML = probs ? "Predicted digit: <b>" + predicted + "</b>" : "&nbsp;";
}

// ---- The preparation, step by step ----
const STEP = 112;
function showSteps(prepared) {
  const steps = ["step-ink", "step-crop", "step-box", "step-field"].map((id) => $(id));
  const info = (i, text) => { steps[i].querySelector(".info").textContent = text; };
  const canvas = (i) => steps[i].querySelector("canvas");
  const byte = (v) => lround(clamp(v, 0, 1) * 255);
  if (prepared === null) {
    for (let i = 0; i < 4; ++i) {
      steps[i].classList.add("skipped");
      info(i, "");
      drawPicture(canvas(i), 1, 1, () => [0, 0, 0], STEP);
    }
    return;
  }
  const polarity = prepared.inverted ? "dark ink on light paper, inverted" : "light ink on dark, kept";
  const s = prepared.steps;
  if (!prepared.reboxed || s === null) {
    drawPicture(canvas(0), 28, 28, (i) => greyOf(prepared.pixels[i]), STEP);
    info(0, polarity + "; already 28x28: taken as it is, as ./mnist predict does");
    for (const i of [1, 2]) {
      steps[i].classList.add("skipped");
      info(i, "skipped");
      drawPicture(canvas(i), 1, 1, () => [0, 0, 0], STEP);
    }
    steps[0].classList.remove("skipped");
    steps[3].classList.remove("skipped");
    drawPicture(canvas(3), 28, 28, (i) => greyOf(prepared.pixels[i]), STEP);
    info(3, "the picture itself");
    return;
  }
  for (const step of steps) step.classList.remove("skipped");
  const g = s.grid;
  drawPicture(canvas(0), g.rows, g.cols, (i) => greyOf(byte(g.v[i])), STEP, (context, scale) => {
    context.strokeStyle = "#d95f02";
    context.lineWidth = 2 / scale;
    context.strokeRect(s.inkLeft, s.inkTop, prepared.inkWidth, prepared.inkHeight);
  });
  info(0, polarity + "; ink box " + prepared.inkWidth + "x" + prepared.inkHeight);
  drawPicture(canvas(1), s.ink.rows, s.ink.cols, (i) => greyOf(byte(s.ink.v[i])), STEP);
  info(1, prepared.inkWidth + "x" + prepared.inkHeight + " pixels");
  drawPicture(canvas(2), s.box.rows, s.box.cols, (i) => greyOf(byte(s.box.v[i])), STEP * Math.max(s.box.rows, s.box.cols) / 28);
  info(2, prepared.boxWidth + "x" + prepared.boxHeight);
  const c = s.centred;
  drawPicture(canvas(3), 28, 28, (i) => greyOf(prepared.pixels[i]), STEP, (context, scale) => {
    const y = c.top + c.centreR + 0.5, x = c.left + c.centreC + 0.5;
    context.strokeStyle = "#d95f02";
    context.lineWidth = 2 / scale;
    context.beginPath();
    context.moveTo(x - 2, y); context.lineTo(x + 2, y);
    context.moveTo(x, y - 2); context.lineTo(x, y + 2);
    context.stroke();
  });
  info(3, "the box's corner at row " + c.top + ", column " + c.left);
}

// ---- The layers, as grids of cells ----
const CELL = 16;
const grids = [];  // one per layer l = 0 .. L-1: the units of layer l's output
let selected = null;  // { layer, unit }
let result = null;    // the last forward pass
for (let l = 0; l < L; ++l) {
  const H = net.layers[l].H, columns = Math.min(16, H), rows = Math.ceil(H / columns);
  const box = document.createElement("div");
  box.className = "layer";
  const output = l === L - 1;
  box.innerHTML = "<h3>" + (output ? "Output: the ten classes" : "Hidden layer " + (l + 1) + ": " + H + " units, ReLU") + "</h3>";
  const canvas = document.createElement("canvas");
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", (output ? "output layer" : "hidden layer " + (l + 1)) + ": use the arrow keys to pick a unit");
)page",
R"page(  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = columns * CELL + "px";
  canvas.style.height = rows * CELL + "px";
  canvas.width = columns * CELL * ratio;
  canvas.height = rows * CELL * ratio;
  box.appendChild(canvas);
  $("layers").appendChild(box);
  const grid = { canvas, columns, rows, H, output };
  grids.push(grid);
  const pick = (event) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor((event.clientX - rect.left) / rect.width * columns);
    const r = Math.floor((event.clientY - rect.top) / rect.height * rows);
    const unit = r * columns + c;
    if (c >= 0 && c < columns && unit >= 0 && unit < H) select(l, unit);
  };
  canvas.addEventListener("pointermove", pick);
  canvas.addEventListener("pointerdown", pick);
  canvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const from = selected && selected.layer === l ? selected.unit : 0;
    select(l, clamp(from + moves[event.key], 0, H - 1));
  });
}

// The values a layer's cells show: A for a hidden layer, the probabilities for the output.
function layerValues(l) {
  if (result === null) return null;
  return l === L - 1 ? result.probs : result.A[l];
}

function drawGrid(l, marked) {
  const grid = grids[l], context = grid.canvas.getContext("2d");
  const ratio = grid.canvas.width / (grid.columns * CELL);
  const values = layerValues(l);
  let largest = 0;
  if (values) for (const v of values) largest = Math.max(largest, v);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, grid.columns * CELL, grid.rows * CELL);
  for (let h = 0; h < grid.H; ++h) {
    const x = (h % grid.columns) * CELL, y = Math.floor(h / grid.columns) * CELL;
    const t = values && largest > 0 ? values[h] / largest : 0;
    context.fillStyle = css(mix(WHITE, BLUE, t));
    context.fillRect(x, y, CELL, CELL);
    context.strokeStyle = "#ddd";
    context.lineWidth = 1;
    context.strokeRect(x + 0.5, y + 0.5, CELL - 1, CELL - 1);
    if (grid.output) {
      context.fillStyle = t > 0.5 ? "#fff" : "#000";
      context.font = "11px sans-serif";
      context.textAlign = "center";
      context.fillText(String(h), x + CELL / 2, y + CELL - 4);
    }
    if (marked && marked.has(h)) {
      context.strokeStyle = "#d95f02";
      context.lineWidth = 3;
      context.strokeRect(x + 1.5, y + 1.5, CELL - 3, CELL - 3);
    }
    if (selected && selected.layer === l && selected.unit === h) {
      context.strokeStyle = "#000";
      context.lineWidth = 3;
      context.strokeRect(x + 1.5, y + 1.5, CELL - 3, CELL - 3);
    }
  }
}

const number = (x) => (x >= 0 ? "+" : "") + x.toFixed(3);

// The detail under the grids: for a unit of the first layer, its weights as a picture; for any
// other, its strongest inputs for this drawing (input value times weight), marked on the grid
// of the layer below.
function showDetail() {
  let marked = null;
  const picture = $("detail-picture"), text = $("detail-text");
  if (selected === null) {
    for (let l = 0; l < L; ++l) drawGrid(l, null);
    return;
  }
  const { layer: l, unit: h } = selected;
  const layer = net.layers[l];
  const name = l === L - 1 ? "Output " + h + " (the digit " + h + ")" : "Unit " + h + " of hidden layer " + (l + 1);
  let html = "<b>" + name + "</b>";
  if (result !== null) {
    const z = result.Z[l][h];
    html += l === L - 1 ? ": logit z = " + number(z) + ", probability " + probabilityText(result.probs[h])
                        : ": z = " + number(z) + ", activation max(0, z) = " + result.A[l][h].toFixed(3);
  }
  html += "; bias b = " + number(layer.b[h]) + ".";
  if (l === 0) {
    let largest = 0;
    for (let p = 0; p < layer.D; ++p) largest = Math.max(largest, Math.abs(layer.W[p * layer.H + h]));
    const side = Math.round(Math.sqrt(layer.D));
    drawPicture(picture, side, side, (p) => {
      const w = layer.W[p * layer.H + h] / (largest || 1);
      return w < 0 ? mix(WHITE, WEIGHT_NEGATIVE, -w) : mix(WHITE, WEIGHT_POSITIVE, w);
    }, 168);
    picture.hidden = false;
    html += "<p>Its " + layer.D + " input weights, one per pixel (largest |w| = " + largest.toFixed(3) +
            "): ink on red pixels raises z, ink on blue ones lowers it. z = sum of pixel x weight, plus b.</p>";
  } else {
    picture.hidden = true;
    const input = result !== null ? result.A[l - 1] : null;
    const terms = [];
    for (let j = 0; j < layer.D; ++j) {
      const w = layer.W[j * layer.H + h];
      terms.push({ j, w, a: input ? input[j] : 1, value: input ? input[j] * w : w });
    }
    terms.sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
    const strongest = terms.slice(0, 8);
    marked = new Set(strongest.map((t) => t.j));
    html += "<p>" + (input ? "Its strongest inputs for this drawing (activation x weight), marked in orange in hidden layer " + l + ":"
                           : "Its largest weights (draw a digit to see which inputs matter for it), marked in orange in hidden layer " + l + ":") + "</p><ol>";
    for (const t of strongest)
      html += "<li>unit " + t.j + ": " + (input ? t.a.toFixed(3) + " x " + number(t.w) + " = " + number(t.value) : "w = " + number(t.w)) + "</li>";
    html += "</ol>";
  }
  text.innerHTML = html;
  for (let g = 0; g < L; ++g) drawGrid(g, g === l - 1 ? marked : null);
}

function select(l, unit) {
  selected = { layer: l, unit };
  showDetail();
}

// ---- One update: prepare, forward, draw ----
let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  // At most once per frame while drawing; a hidden page gets no frames, hence the timeout.
  if (document.hidden) setTimeout(update, 0);
  else requestAnimationFrame(update);
}

function update() {
  pending = false;
  state.error = "";
  let prepared = null;
  if (state.source !== null) prepared = prepareDigit(state.source);
  if (prepared === null || prepared.blank) {
    result = null;
    state.prepared = prepared;
    state.probs = null;
    state.predicted = -1;
    showBars(null, -1);
    showSteps(null);
    if (prepared !== null) $("status").textContent = "No digit yet: every pixel is the same grey.";
  } else {
    result = forward(net, inputRow(prepared.pixels));
    const predicted = predictedClass(result.probs);
    state.prepared = prepared;
    state.probs = Array.from(result.probs);
    state.predicted = predicted;
    showBars(result.probs, predicted);
    showSteps(prepared);
  }
  showDetail();
  state.version++;
}

if (selected === null) select(0, 0);
state.readyAt = performance.now();
state.ready = true;
schedule();
})();
</script>
</body>
</html>
)page",
};

}  // namespace

std::string page_template() {
    std::string text;
    for (const char* piece : kPieces) text += piece;
    return text;
}
