// browser_check.js WORK SCREENSHOT: the page in a real browser, headless Chromium.
//
// Opens WORK/plots/index.html (the page `./mnist --plots` wrote) from disk and checks, as a user
// would see it:
//   1. every image of setup.js, opened through the page's file input, gets ./mnist predict's
//      class and probabilities (bits, and the digits the bars print);
//   2. one click on a test digit loads it, and the Escape key clears the pad;
//   3. strokes drawn with synthetic mouse events, then touch events, update the prediction
//      while drawing, and the drawing, saved as PGM, gets the same answer from ./mnist predict;
//      Ctrl+Z undoes a stroke;
//   4. the page made no network request, threw no error, and refuses eval();
// then saves a screenshot to SCREENSHOT, and one of a phone's screen beside it (SCREENSHOT with
// -phone before .png), where the page must fit 390 pixels without sideways scrolling.
//
// Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
// messages separated by NUL bytes on file descriptors 3 and 4), which needs no npm package and
// no network port. Skipped (exit 77) if no Chromium is installed; CHROMIUM=path picks one.
"use strict";

const c = require("./common.js");
const { fs, path } = c;
const os = require("os");
const { spawn } = require("child_process");

const [work, screenshot] = process.argv.slice(2);
if (!work || !screenshot) c.fail("usage: node browser_check.js WORK SCREENSHOT [--require-bits]");
const requireBits = process.argv.includes("--require-bits");

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH || "").split(path.delimiter))
    for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
  return null;
}
const chromium = findChromium();
if (chromium === null) {
  console.log("page_browser: skipped, no Chromium found (install Debian's chromium, or set CHROMIUM)");
  process.exit(c.SKIP);
}

// ---- The DevTools protocol over the pipe ----
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-page-"));
const browser = spawn(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                                 "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                 "--hide-scrollbars", "about:blank"],
                      { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let browserErrors = "";
browser.stderr.on("data", (d) => { browserErrors += d; });
// On every way out, the browser goes and so does its profile (best effort: a browser killed on a
// failure may still be writing into it).
let browserGone = false;
browser.on("exit", () => { browserGone = true; });
process.on("exit", () => {
  if (!browserGone) browser.kill("SIGKILL");
  try {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    // left in the temporary directory
  }
});
const watchdog = setTimeout(() => c.fail("timed out after 540 s; Chromium said:\n" + browserErrors.slice(-2000)), 540000);
// Closes the browser and waits for it, so that its profile can be removed, then exits.
async function finish() {
  clearTimeout(watchdog);
  await send("Browser.close", {}, undefined).catch(() => {});
  for (let tries = 0; !browserGone && tries < 100; ++tries) await sleep(50);
  process.exit(0);
}

let nextId = 1, buffer = "";
const waiting = new Map();  // id -> { resolve, reject, method }
const listeners = [];       // (message) => void, for events
browser.stdio[4].on("data", (chunk) => {
  buffer += chunk.toString("utf8");
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id !== undefined && waiting.has(message.id)) {
      const { resolve, reject, method } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) reject(new Error(method + ": " + message.error.message));
      else resolve(message.result);
    } else {
      for (const listener of listeners) listener(message);
    }
  }
});
browser.on("exit", (code) => { if (waiting.size > 0) c.fail("Chromium exited (" + code + "):\n" + browserErrors.slice(-2000)); });

let session;  // the page's session id, once attached
function send(method, params = {}, sessionId = session) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, method });
    browser.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + "\0");
  });
}
function nextEvent(method) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message.method === method && message.sessionId === session) {
        listeners.splice(listeners.indexOf(listener), 1);
        resolve(message.params);
      }
    };
    listeners.push(listener);
  });
}
async function evaluate(expression) {
  const reply = await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
  if (reply.exceptionDetails) throw new Error("in the page: " + expression + ": " + JSON.stringify(reply.exceptionDetails));
  return reply.result.value;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until the page has updated past `version` (requestAnimationFrame, so a frame or two).
async function waitForUpdate(version) {
  for (let tries = 0; tries < 500; ++tries) {
    if ((await evaluate("digitPage.version")) > version) return;
    await sleep(10);
  }
  c.fail("the page did not update");
}
const answer = () => evaluate("({ probs: digitPage.probs, predicted: digitPage.predicted, error: digitPage.error, " +
                              "source: digitPage.source && [digitPage.source.width, digitPage.source.height], " +
                              "shown: [...document.querySelectorAll('#probs .value')].map((e) => e.textContent.replace(' \\u2190', '')) })");

async function main() {
  const expected = c.readJson(path.join(work, "expected.json"));
  const mnist = fs.readFileSync(path.join(work, "mnist-path.txt"), "utf8").trim();
  const model = path.join(work, "model.bin");
  const predict = (file) => c.parsePredict(c.run(mnist, ["predict", model, file, "--exact"]), file);

  const { targetId } = await send("Target.createTarget", { url: "about:blank" }, undefined);
  ({ sessionId: session } = await send("Target.attachToTarget", { targetId, flatten: true }, undefined));
  const requests = [], problems = [];
  listeners.push((m) => {
    if (m.sessionId !== session) return;
    if (m.method === "Network.requestWillBeSent") requests.push(m.params.request.url);
    if (m.method === "Runtime.exceptionThrown") problems.push(JSON.stringify(m.params.exceptionDetails).slice(0, 400));
    if (m.method === "Log.entryAdded" && m.params.entry.level === "error") problems.push(m.params.entry.text);
  });
  await send("Page.enable");
  await send("Network.enable");
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Emulation.setDeviceMetricsOverride", { width: 1100, height: 1400, deviceScaleFactor: 1, mobile: false });

  // ---- Loading ----
  const url = "file://" + path.resolve(work, "plots", "index.html");
  const loaded = nextEvent("Page.loadEventFired");
  const started = Date.now();
  await send("Page.navigate", { url });
  await loaded;
  for (let tries = 0; !(await evaluate("!!(window.digitPage && digitPage.ready)")); ++tries) {
    if (tries > 500) c.fail("the page's script never became ready: " + problems.join("\n"));
    await sleep(10);
  }
  const wall = Date.now() - started;
  const timing = await evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; " +
                                "return { dom: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: digitPage.readyAt, size: n.decodedBodySize }; })()");
  console.log("loaded " + path.relative(process.cwd(), path.resolve(work, "plots", "index.html")) + " (" + timing.size + " bytes): DOMContentLoaded at " +
              timing.dom.toFixed(0) + " ms, script ready (model decoded) at " + timing.ready.toFixed(0) + " ms, load event at " +
              timing.load.toFixed(0) + " ms; " + wall + " ms from navigation to ready, measured outside");

  // ---- 1. The images, through the file input ----
  const { root } = await send("DOM.getDocument");
  const { nodeId: input } = await send("DOM.querySelector", { nodeId: root.nodeId, selector: "#open" });
  const totals = { images: 0, classSame: 0, printedSame: 0, bitsSame: 0, shownSame: 0 };
  for (const e of expected) {
    const version = await evaluate("digitPage.version");
    await send("DOM.setFileInputFiles", { nodeId: input, files: [path.resolve(work, "images", e.file)] });
    await waitForUpdate(version);
    const a = await answer();
    if (a.error) c.fail(e.file + ": the page says: " + a.error);
    if (!a.probs) c.fail(e.file + ": the page gave no probabilities");
    const verdict = c.compare({ predicted: a.predicted, probs: a.probs }, e);
    ++totals.images;
    for (const key of ["classSame", "printedSame", "bitsSame"]) if (verdict[key]) ++totals[key];
    if (a.shown.every((text, k) => text === e.printed[k])) ++totals.shownSame;
  }
  console.log("Chromium, " + totals.images + " images opened in the page: class agrees on " + totals.classSame +
              ", printed probabilities on " + totals.printedSame + " (the bars' text on " + totals.shownSame +
              "), float32 bits on " + totals.bitsSame);
  if (totals.images < 100) c.fail("only " + totals.images + " images; the test wants at least 100");
  for (const key of requireBits ? ["classSame", "printedSame", "shownSame", "bitsSame"] : ["classSame", "printedSame", "shownSame"])
    if (totals[key] !== totals.images) c.fail(key + ": " + (totals.images - totals[key]) + " images differ from ./mnist predict");

  // ---- 2. One click on a test digit; the Escape key clears ----
  async function clickAt(selector) {
    const box = await evaluate("(() => { const e = document.querySelector('" + selector + "'); e.scrollIntoView({ block: 'center' }); " +
                               "const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    for (const type of ["mouseMoved", "mousePressed", "mouseReleased"])
      await send("Input.dispatchMouseEvent", { type, x: box[0], y: box[1], button: "left", buttons: type === "mousePressed" ? 1 : 0, clickCount: 1 });
  }
  const digitIndex = await evaluate("document.querySelector('button.digit').dataset.index");
  let version = await evaluate("digitPage.version");
  await clickAt("button.digit");
  await waitForUpdate(version);
  const clicked = await answer();
  const digitFile = path.join(work, "clicked.pgm");
  c.run(mnist, ["export-pgm", digitIndex, digitFile, "--data", fs.readFileSync(path.join(work, "data-path.txt"), "utf8").trim()]);
  const digitVerdict = c.compare(clicked, predict(digitFile));
  if (!digitVerdict.classSame || !digitVerdict.printedSame || (requireBits && !digitVerdict.bitsSame))
    c.fail("test digit " + digitIndex + ", loaded by a click: the page's answer differs from ./mnist predict's");
  console.log("one click on test digit " + digitIndex + ": loaded, class " + clicked.predicted + ", as ./mnist predict says");
  version = await evaluate("digitPage.version");
  await send("Input.dispatchKeyEvent", { type: "keyDown", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
  await send("Input.dispatchKeyEvent", { type: "keyUp", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
  await waitForUpdate(version);
  if ((await answer()).probs !== null) c.fail("the Escape key did not clear the pad");

  // ---- 3. Strokes: mouse, then touch ----
  const padBox = await evaluate("(() => { const e = document.getElementById('pad'); e.scrollIntoView({ block: 'center' }); " +
                                "const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; })()");
  const at = (x, y) => ({ x: padBox[0] + x * padBox[2] / 280, y: padBox[1] + y * padBox[2] / 280 });
  const seven = [[80, 60], [120, 58], [160, 58], [200, 60], [185, 100], [165, 140], [150, 180], [138, 230]];
  version = await evaluate("digitPage.version");
  await send("Input.dispatchMouseEvent", { type: "mousePressed", ...at(...seven[0]), button: "left", buttons: 1, clickCount: 1 });
  for (const point of seven.slice(1, 4)) await send("Input.dispatchMouseEvent", { type: "mouseMoved", ...at(...point), button: "left", buttons: 1 });
  await waitForUpdate(version);
  const midStroke = await answer();
  if (midStroke.probs === null) c.fail("no prediction while the mouse stroke was being drawn");
  for (const point of seven.slice(4)) await send("Input.dispatchMouseEvent", { type: "mouseMoved", ...at(...point), button: "left", buttons: 1 });
  version = await evaluate("digitPage.version");
  await send("Input.dispatchMouseEvent", { type: "mouseReleased", ...at(...seven[seven.length - 1]), button: "left", buttons: 0, clickCount: 1 });
  await sleep(50);
  const afterMouse = await answer();
  if (afterMouse.probs === null || afterMouse.probs.every((p, k) => p === midStroke.probs[k]))
    c.fail("the prediction did not change as the mouse stroke went on");
  const mouseExpected = predictPadFile(await evaluate("digitPage.padPgm()"), "drawn-by-mouse.pgm");
  const mouseVerdict = c.compare(afterMouse, mouseExpected);
  if (!mouseVerdict.classSame || !mouseVerdict.printedSame || (requireBits && !mouseVerdict.bitsSame)) c.fail("the mouse drawing: the page's answer differs from ./mnist predict's on the saved PGM");
  console.log("mouse stroke: the prediction updated while drawing (" + midStroke.predicted + " mid-stroke, " + afterMouse.predicted +
              " at the end), as ./mnist predict says of the saved pad");

  // Ctrl+Z undoes it: the pad is empty again.
  version = await evaluate("digitPage.version");
  await send("Input.dispatchKeyEvent", { type: "keyDown", key: "z", code: "KeyZ", windowsVirtualKeyCode: 90, modifiers: 2 });
  await send("Input.dispatchKeyEvent", { type: "keyUp", key: "z", code: "KeyZ", windowsVirtualKeyCode: 90, modifiers: 2 });
  await waitForUpdate(version);
  if ((await answer()).probs !== null) c.fail("Ctrl+Z did not undo the stroke");

  // A finger: a 1, then the bar of a 4 beside it.
  await send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 1 });
  const touchStroke = async (points) => {
    await send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at(...points[0])] });
    for (const point of points.slice(1)) await send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [at(...point)] });
    await send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  };
  version = await evaluate("digitPage.version");
  await touchStroke([[150, 40], [148, 100], [146, 160], [144, 240]]);
  await waitForUpdate(version);
  const afterTouch = await answer();
  if (afterTouch.probs === null) c.fail("touch events drew nothing");
  version = await evaluate("digitPage.version");
  await touchStroke([[100, 40], [85, 110], [80, 150], [200, 150]]);
  await waitForUpdate(version);
  const afterTouch2 = await answer();
  if (afterTouch2.probs.every((p, k) => p === afterTouch.probs[k])) c.fail("the second touch stroke did not change the prediction");
  const touchVerdict = c.compare(afterTouch2, predictPadFile(await evaluate("digitPage.padPgm()"), "drawn-by-touch.pgm"));
  if (!touchVerdict.classSame || !touchVerdict.printedSame || (requireBits && !touchVerdict.bitsSame)) c.fail("the touch drawing: the page's answer differs from ./mnist predict's");
  console.log("touch strokes: class " + afterTouch.predicted + " after one, " + afterTouch2.predicted + " after two, as ./mnist predict says");
  await send("Emulation.setTouchEmulationEnabled", { enabled: false });

  // ---- 4. No request, no error, no eval ----
  if (problems.length > 0) c.fail("errors in the page: " + problems.join("\n"));
  // Code from a string, run by the page itself: setTimeout with a string is eval in disguise.
  // (A direct eval() here would be the debugger's, which the browser lets through.)
  await evaluate("window.violations = []; document.addEventListener('securitypolicyviolation', " +
                 "(e) => violations.push(e.violatedDirective)); setTimeout('window.evalRan = true', 0); true");
  await sleep(200);
  const evalResult = await evaluate("({ ran: window.evalRan === true, violations: window.violations })");
  if (evalResult.ran || evalResult.violations.length === 0)
    c.fail("the page's Content-Security-Policy let code from a string run: " + JSON.stringify(evalResult));
  const others = requests.filter((u) => u !== url);
  if (others.length > 0) c.fail("the page made network requests: " + others.join(" "));
  console.log("requests: " + requests.length + " (the page itself, " + url + "), none other; code from a string refused (" + evalResult.violations.join(", ") + "); no error");

  // ---- The screenshot: a 3 drawn with the mouse, a unit of the first layer pointed at ----
  await send("Emulation.setDeviceMetricsOverride", { width: 1100, height: 1500, deviceScaleFactor: 1, mobile: false });
  await evaluate("window.scrollTo(0, 0)");
  await send("Input.dispatchKeyEvent", { type: "keyDown", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
  await send("Input.dispatchKeyEvent", { type: "keyUp", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
  const padNow = await evaluate("(() => { const r = document.getElementById('pad').getBoundingClientRect(); return [r.left, r.top, r.width]; })()");
  const onPad = (x, y) => ({ x: padNow[0] + x * padNow[2] / 280, y: padNow[1] + y * padNow[2] / 280 });
  const arc = (cx, cy, r, from, to) => Array.from({ length: 25 }, (_, k) => {
    const a = (from + (to - from) * k / 24) * Math.PI / 180;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  for (const points of [arc(135, 92, 46, -160, 90), arc(135, 180, 52, -90, 160)]) {
    await send("Input.dispatchMouseEvent", { type: "mousePressed", ...onPad(...points[0]), button: "left", buttons: 1, clickCount: 1 });
    for (const point of points.slice(1)) await send("Input.dispatchMouseEvent", { type: "mouseMoved", ...onPad(...point), button: "left", buttons: 1 });
    await send("Input.dispatchMouseEvent", { type: "mouseReleased", ...onPad(...points[points.length - 1]), button: "left", buttons: 0, clickCount: 1 });
  }
  const unitBox = await evaluate("(() => { const r = document.querySelector('.layer canvas').getBoundingClientRect(); return [r.left + 88, r.top + 40]; })()");
  await send("Input.dispatchMouseEvent", { type: "mouseMoved", x: unitBox[0], y: unitBox[1] });
  await sleep(300);
  const shot = await send("Page.captureScreenshot", { format: "png" });
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  fs.writeFileSync(screenshot, Buffer.from(shot.data, "base64"));
  console.log("screenshot: " + screenshot);

  // ---- A phone: 390 CSS pixels wide. Nothing may stick out sideways (no sideways scrolling).
  await send("Emulation.setDeviceMetricsOverride", { width: 390, height: 844, deviceScaleFactor: 2, mobile: true });
  await sleep(300);
  const widths = await evaluate("[document.documentElement.scrollWidth, window.innerWidth]");
  if (widths[0] > widths[1] + 1) c.fail("on a 390-pixel phone screen the page is " + widths[0] + " pixels wide");
  const phone = screenshot.replace(/\.png$/, "") + "-phone.png";
  fs.writeFileSync(phone, Buffer.from((await send("Page.captureScreenshot", { format: "png" })).data, "base64"));
  console.log("phone (390 pixels wide): the page fits, " + widths[0] + " pixels; screenshot: " + phone);
  console.log("ok");
  await finish();
}

function predictPadFile(bytes, name) {
  if (bytes === null) c.fail(name + ": the page has nothing to save");
  const file = path.join(work, name);
  fs.writeFileSync(file, Buffer.from(bytes));
  const mnist = fs.readFileSync(path.join(work, "mnist-path.txt"), "utf8").trim();
  return c.parsePredict(c.run(mnist, ["predict", path.join(work, "model.bin"), file, "--exact"]), file);
}

main().catch((error) => c.fail(error.stack || String(error)));
