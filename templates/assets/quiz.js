/* meshdocs: grade a quiz in the browser. The page holds the questions and, per question, a SHA-256 of
   "salt:question-id:answer", never the answer itself. The reader's answer is hashed the same way and
   compared; marks add up and passPercentage decides. SHA-256 is implemented here because crypto.subtle
   exists only in secure contexts, and the site must work from any plain web or file server. */
(function () {
  "use strict";
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,
    0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,
    0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,
    0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,
    0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,
    0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,
    0xbef9a3f7,0xc67178f2];
  function sha256(text) {
    var bytes = new TextEncoder().encode(text), len = bytes.length;
    var words = new Array(((len + 9 + 63) >> 6) << 4).fill(0), i;
    for (i = 0; i < len; i++) { words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8); }
    words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    words[words.length - 1] = len * 8;
    var h = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var w = new Array(64);
    function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var block = 0; block < words.length; block += 16) {
      for (i = 0; i < 16; i++) { w[i] = words[block + i] | 0; }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh].map(function (x) { return x | 0; });
    }
    return h.map(function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }
  function answerOf(fieldset) {
    var type = fieldset.getAttribute("data-type");
    if (type === "short-answer") {
      var input = fieldset.querySelector("input[type=text]");
      return (input ? input.value : "").trim().toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    }
    return Array.prototype.slice.call(fieldset.querySelectorAll("input:checked"))
      .map(function (el) { return el.value; }).sort().join(",");
  }
  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mdx-quiz]"), function (form) {
      if (form.getAttribute("data-ready")) { return; }
      form.setAttribute("data-ready", "1");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var salt = form.getAttribute("data-salt"), got = 0, total = 0;
        Array.prototype.forEach.call(form.querySelectorAll(".mdx-question"), function (q) {
          var marks = parseFloat(q.getAttribute("data-marks")) || 0, answer = answerOf(q);
          var right = answer !== "" && sha256(salt + ":" + q.getAttribute("data-id") + ":" + answer) === q.getAttribute("data-answer");
          total += marks; if (right) { got += marks; }
          q.classList.toggle("mdx-question--right", right);
          q.classList.toggle("mdx-question--wrong", !right);
          var feedback = q.querySelector("[data-mdx-feedback]");
          feedback.hidden = false;
          feedback.textContent = right ? "Correct." : (answer === "" ? "Not answered." : "Not quite.");
        });
        var percent = total ? Math.round(1000 * got / total) / 10 : 0;
        var pass = parseFloat(form.getAttribute("data-pass")) || 0;
        var result = form.querySelector("[data-mdx-result]");
        result.textContent = "You scored " + got + " of " + total + " marks (" + percent + "%): " +
          (percent >= pass ? "passed" : "not passed yet, the pass mark is " + pass + "%") + ".";
        result.className = "mdx-quiz__result " + (percent >= pass ? "mdx-quiz__result--pass" : "mdx-quiz__result--fail");
      });
    });
  }
  window.meshdocsSha256 = sha256;
  if (typeof document$ !== "undefined") { document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
