// setup.js WORK MNIST DATA [EPOCHS]: the inputs of the page tests (CTest fixture "page").
//
// In WORK it writes, with the real ./mnist (MNIST):
//   model.bin, plots/           one epoch of training (or EPOCHS: 21 for the default run), with
//                               --save and --plots (plots/index.html is the page of a run, as a
//                               user gets it)
//   page.html                   ./mnist page model.bin page.html
//   images/test-NNNN.pgm        test images 0-99, by ./mnist export-pgm (28x28: taken as they are)
//   images/big-NNNN.pgm         test images 100-119 made bigger, dark on light, off-centre, on grey
//                               paper, some as text (P2): they go through every step of the
//                               preparation (crop, 20x20, centring)
//   images/drawn-N.pgm          strokes drawn with the page's own pen, as on the pad
//   expected.json               ./mnist predict --exact on each image: the class and probabilities
"use strict";

const c = require("./common.js");
const { fs, path } = c;

const [work, mnist, data, epochs = "1"] = process.argv.slice(2);
if (!work || !mnist || !data) c.fail("usage: node setup.js WORK MNIST DATA [EPOCHS]");
fs.rmSync(work, { recursive: true, force: true });
const images = path.join(work, "images");
fs.mkdirSync(images, { recursive: true });

// Where ./mnist and the data are, for browser_check.js, which runs ./mnist predict too.
fs.writeFileSync(path.join(work, "mnist-path.txt"), path.resolve(mnist) + "\n");
fs.writeFileSync(path.join(work, "data-path.txt"), path.resolve(data) + "\n");
const model = path.join(work, "model.bin");
c.run(mnist, ["--epochs", epochs, "--data", data, "--save", model, "--plots", path.join(work, "plots"), "--threads", "2"]);
c.run(mnist, ["page", model, path.join(work, "page.html")]);
const n = c.runNumerics(c.numericsSource(fs.readFileSync(path.join(work, "page.html"), "utf8")));

async function main() {
const files = [];
const exports = [];
for (let i = 0; i < 120; ++i) {
  const file = path.join(images, (i < 100 ? "test-" : "source-") + String(i).padStart(4, "0") + ".pgm");
  exports.push([mnist, ["export-pgm", String(i), file, "--data", data]]);
  if (i < 100) files.push(file);
}
await c.runAll(exports);

// A 28x28 digit made into a picture like a phone photo of paper: scaled up `scale` times
// (nearest pixel), dark ink on paper of grey `paper`, at (top, left) in a width x height frame.
function bigger(digit, scale, width, height, top, left, paper) {
  const pixels = new Uint8Array(width * height).fill(paper);
  for (let r = 0; r < 28 * scale; ++r)
    for (let col = 0; col < 28 * scale; ++col) {
      const ink = digit.pixels[Math.floor(r / scale) * 28 + Math.floor(col / scale)] / 255;
      pixels[(top + r) * width + left + col] = Math.round(paper * (1 - ink));
    }
  return { width, height, maxval: 255, pixels };
}
function plainPgm(image) {  // P2: the pixels as decimal text
  const rows = [];
  for (let r = 0; r < image.height; ++r) rows.push(Array.from(image.pixels.subarray(r * image.width, (r + 1) * image.width)).join(" "));
  return Buffer.from("P2\n" + image.width + " " + image.height + "\n" + image.maxval + "\n" + rows.join("\n") + "\n");
}
for (let i = 100; i < 120; ++i) {
  const source = path.join(images, "source-" + String(i).padStart(4, "0") + ".pgm");
  const digit = n.parsePgm(fs.readFileSync(source), source);
  const scale = 2 + (i % 5), side = 28 * scale;
  const image = bigger(digit, scale, side + 17 + (i % 7) * 5, side + 9 + (i % 3) * 11, 3 + (i % 4), 5 + (i % 6), 200 + (i % 50));
  const file = path.join(images, "big-" + String(i).padStart(4, "0") + ".pgm");
  fs.writeFileSync(file, i % 4 === 0 ? plainPgm(image) : Buffer.from(n.encodePgm(image, "test image " + i + ", made bigger")));
  files.push(file);
  fs.rmSync(source);
}

// Strokes in pad pixels (280 x 280), as a hand would draw them.
const arc = (cx, cy, r, from, to, steps) => Array.from({ length: steps + 1 }, (_, k) => {
  const a = (from + (to - from) * k / steps) * Math.PI / 180;
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
});
const drawings = [
  [[[90, 60], [200, 60], [150, 150], [120, 230]]],                         // a 7
  [[[140, 40], [138, 240]]],                                              // a 1
  [arc(141, 137, 80, 10, 375, 40)],                                        // a 0, not quite closed
  [arc(140, 90, 50, 180, 405, 24), [[175, 125], [90, 230], [200, 230]]],   // a 2
  [[[100, 40], [80, 140], [190, 140]], [[170, 60], [165, 240]]],           // a 4
];
drawings.forEach((strokes, d) => {
  const grey = new Uint8Array(n.kPadSide * n.kPadSide).fill(255);
  for (const stroke of strokes) n.drawStroke(grey, stroke);
  const file = path.join(images, "drawn-" + d + ".pgm");
  fs.writeFileSync(file, n.encodePgm(n.padImage(grey), "drawn by tests/page/setup.js"));
  files.push(file);
});

const outputs = await c.runAll(files.map((file) => [mnist, ["predict", model, file, "--exact"]]));
const expected = files.map((file, i) => ({ file: path.basename(file), ...c.parsePredict(outputs[i], file) }));
fs.writeFileSync(path.join(work, "expected.json"), JSON.stringify(expected, null, 1));
console.log("setup: " + files.length + " images in " + images + ", ./mnist predict's answers in expected.json");
}

main().catch((error) => c.fail(error.stack || String(error)));
