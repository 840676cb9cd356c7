// common.js: what the page tests share. Node.js only, no npm package.
//
// The page (src/page.h) holds its computing part between the lines "numerics: begin" and
// "numerics: end" of its script. loadNumerics() takes exactly that text out of a written page
// and runs it in a fresh Node.js context, so the tests exercise the very code a browser runs.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { execFileSync } = require("child_process");

// The exit code CTest reads as "skipped" (SKIP_RETURN_CODE in CMakeLists.txt).
const SKIP = 77;

function fail(message) {
  console.error("FAIL: " + message);
  process.exit(1);
}

// The numerics part of the page's script, as text.
function numericsSource(html) {
  const begin = html.indexOf("// ==== numerics: begin ====");
  const end = html.indexOf("// ==== numerics: end ====");
  if (begin < 0 || end < begin) fail("the page has no numerics section (the markers are missing)");
  return html.slice(begin, end);
}

// The base64 text of the model file in the page.
function modelBase64(html) {
  const match = /<script type="application\/octet-stream" id="model-file">([^<]*)<\/script>/.exec(html);
  if (!match) fail("the page holds no model-file block");
  return match[1];
}

const EXPORTED = ["bytesFromBase64", "decodeModel", "parsePgm", "encodePgm", "prepareDigit", "inputRow",
                  "forward", "predictedClass", "probabilityText", "drawStroke", "padImage", "kPadSide"];

// Runs `source` (a numerics section, possibly altered by a test) and returns its functions.
function runNumerics(source) {
  const context = vm.createContext({ atob, Math, Float32Array, Float64Array, Uint8Array, DataView, Error, String });
  return vm.runInContext(source + "\n;({" + EXPORTED.join(", ") + "})", context);
}

// What `./mnist predict MODEL IMAGE --exact` printed: the class, the ten probabilities as
// printed (4 decimals, or 1.2e-05), and the ten exact values as numbers.
function parsePredict(text, name) {
  const predicted = /Predicted digit: (\d)/.exec(text);
  const printed = [...text.matchAll(/^ {2}(\d) {2}(\S+) {2}/gm)].map((m) => m[2]);
  const exactPart = text.split("Exact probabilities")[1] || "";
  const exact = [...exactPart.matchAll(/^ {2}\d {2}(\S+)$/gm)].map((m) => Number(m[1]));
  if (!predicted || printed.length !== 10 || exact.length !== 10) fail(name + ": cannot read ./mnist predict's output:\n" + text);
  return { predicted: Number(predicted[1]), printed, exact };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

// The page's answer for one PGM file, with the numerics `n` and the model `net`.
function pageAnswer(n, net, bytes, name) {
  const prepared = n.prepareDigit(n.parsePgm(bytes, name));
  if (prepared.blank) return null;
  const probs = n.forward(net, n.inputRow(prepared.pixels)).probs;
  return { predicted: n.predictedClass(probs), probs: Array.from(probs) };
}

// Compares one answer of the page with one of ./mnist predict. Returns the three verdicts.
function compare(page, expected) {
  const classSame = page.predicted === expected.predicted;
  const printedSame = page.probs.every((p, k) => probabilityTextOf(p) === expected.printed[k]);
  const bitsSame = page.probs.every((p, k) => Math.fround(expected.exact[k]) === p);
  return { classSame, printedSame, bitsSame };
}

// The printing rule of terminal.cpp, here in the test (not the page's copy), so that a fault in
// the page's printing cannot hide a fault in its numbers.
function probabilityTextOf(p) {
  if (p >= 1e-4 || p === 0) return p.toFixed(4);
  const [mantissa, exponent] = p.toExponential(1).split("e");
  return mantissa + "e" + exponent[0] + exponent.slice(1).padStart(2, "0");
}

function run(program, args) {
  return execFileSync(program, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

// Runs each [program, args] of `jobs`, four at a time, and resolves to their outputs, in order.
// (Most of the time of one ./mnist export-pgm is spent waiting for the data files.)
async function runAll(jobs) {
  const { execFile } = require("child_process");
  const outputs = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      outputs[i] = await new Promise((resolve, reject) =>
        execFile(jobs[i][0], jobs[i][1], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
                 (error, stdout) => (error ? reject(new Error(jobs[i][1].join(" ") + ": " + error.message)) : resolve(stdout))));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return outputs;
}

module.exports = { SKIP, fail, numericsSource, modelBase64, runNumerics, parsePredict, readJson, pageAnswer,
                   compare, run, runAll, fs, path };
