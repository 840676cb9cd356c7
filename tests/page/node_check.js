// node_check.js WORK: the page's script, run under Node.js, against ./mnist predict.
//
// For every image of setup.js, the numerics part of the page's script (read from WORK/page.html,
// the file ./mnist page wrote) parses the PGM, prepares it and runs the forward pass. Its class
// and its ten probabilities must be ./mnist predict's: the same class, the same printed digits,
// and the same float32 bits.
//
// Then three altered copies of the script (mutants) must FAIL the same comparison, which shows
// that each kind of check can fail: one that accumulates the products in double (no fround),
// one that centres by the box instead of the centre of mass, one that truncates the pixels to
// bytes instead of rounding them.
"use strict";

const c = require("./common.js");
const { fs, path } = c;

const work = process.argv[2];
if (!work) c.fail("usage: node node_check.js WORK [--require-bits]");
const requireBits = process.argv.includes("--require-bits");
const html = fs.readFileSync(path.join(work, "page.html"), "utf8");
const source = c.numericsSource(html);
const expected = c.readJson(path.join(work, "expected.json"));

// The comparison over every image: how many agree in class, in print, in bits.
function compareAll(numericsText) {
  const n = c.runNumerics(numericsText);
  const net = n.decodeModel(n.bytesFromBase64(c.modelBase64(html)));
  const totals = { images: 0, classSame: 0, printedSame: 0, bitsSame: 0, firstDifference: "" };
  for (const e of expected) {
    const file = path.join(work, "images", e.file);
    const page = c.pageAnswer(n, net, new Uint8Array(fs.readFileSync(file)), file);
    if (page === null) c.fail(e.file + ": the page found no digit, ./mnist predict did");
    const verdict = c.compare(page, e);
    ++totals.images;
    for (const key of ["classSame", "printedSame", "bitsSame"]) if (verdict[key]) ++totals[key];
    if (!verdict.bitsSame && totals.firstDifference === "")
      totals.firstDifference = e.file + ": page " + page.probs.join(" ") + "\n    ./mnist predict " + e.exact.join(" ");
  }
  return totals;
}

const t = compareAll(source);
console.log("page script under Node.js, " + t.images + " images: class agrees on " + t.classSame +
            ", printed probabilities on " + t.printedSame + ", float32 bits on " + t.bitsSame);
if (t.images < 100) c.fail("only " + t.images + " images compared; the test wants at least 100");
if (t.classSame !== t.images) c.fail("the page's class differs from ./mnist predict's on " + (t.images - t.classSame) + " images");
if (t.printedSame !== t.images) c.fail("the page's printed probabilities differ on " + (t.images - t.printedSame) + " images");
if (requireBits && t.bitsSame !== t.images) c.fail("the page's float32 probabilities differ in their bits on " + (t.images - t.bitsSame) +
                                    " images; the first:\n    " + t.firstDifference);

// The mutants: each replacement must apply (else the test has gone stale), and each must fail.
const mutants = [
  { name: "sums in double (no fround)", from: "sum = f32(sum + f32(x[p] * W[p * H + j]))", to: "sum = sum + x[p] * W[p * H + j]",
    fails: (m) => m.bitsSame < m.images },
  { name: "centred by the box, not the mass", from: "const centreR = mass > 0 ? rowMoment / mass", to: "const centreR = false ? rowMoment / mass",
    fails: (m) => m.printedSame < m.images },
  { name: "bytes truncated, not rounded", from: "bytes[i] = lround(clamp(g.v[i], 0.0, 1.0) * 255)",
    to: "bytes[i] = Math.trunc(clamp(g.v[i], 0.0, 1.0) * 255)", fails: (m) => m.bitsSame < m.images },
];
for (const mutant of mutants) {
  if (!source.includes(mutant.from)) c.fail("mutant '" + mutant.name + "': the line it alters is no longer in the page");
  const m = compareAll(source.replace(mutant.from, mutant.to));
  console.log("mutant '" + mutant.name + "': class agrees on " + m.classSame + ", printed on " + m.printedSame + ", bits on " + m.bitsSame);
  if (!mutant.fails(m)) c.fail("mutant '" + mutant.name + "' passed the comparison: the check cannot see that fault");
}
console.log("ok");
