/* Exam attempt page: tell the server each time the page is hidden or loses focus. The
   server counts (one leave per few seconds at most), warns at the exam's limit minus
   one and submits the paper at the limit; this only reports and shows what it says. A
   page whose attempt moved to another device stops here too (attempt:elsewhere). */
(function () {
  "use strict";
  var config = document.getElementById("attempt-config");
  if (!config || !window.fetch) return;
  var d = config.dataset;
  var countEl = document.getElementById("leave-count");
  var warningEl = document.getElementById("leave-warning");
  var away = false;      // one report per time away: blur and hidden both fire for one leave
  var unloading = false; // leaving through a link, a reload or 交卷 is not leaving the exam
  var stopped = false;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  function report(kind) {
    if (away || unloading || stopped) return;
    away = true;
    fetch(d.leaveApi, {
      method: "POST",
      credentials: "omit",
      keepalive: true,  // a phone switching apps may freeze the page before it is sent
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-Attempt-Token": d.token },
      body: JSON.stringify({ kind: kind })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (result.status === 200) {
        countEl.textContent = fill(d.textLeft, { 1: data.count });
        countEl.hidden = !data.count;
        if (data.warning) { warningEl.textContent = data.warning; warningEl.hidden = false; }
        if (data.submitted) {
          stopped = true;
          warningEl.textContent = d.textLeftSubmitted;
          warningEl.hidden = false;
          setTimeout(function () { window.location.href = d.result; }, 1500);
        }
      } else if (result.status === 409 && data.code === "elsewhere") {
        stopped = true;
        document.dispatchEvent(new CustomEvent("attempt:elsewhere", { detail: data.error }));
      }
    }).catch(function () { /* no connection: this leave goes uncounted */ });
  }
  function back() { if (document.visibilityState === "visible") away = false; }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") report("hidden"); else back();
  });
  window.addEventListener("blur", function () { report("blur"); });
  window.addEventListener("focus", back);
  window.addEventListener("pagehide", function () { unloading = true; });
  window.addEventListener("pageshow", function () { unloading = false; });
  document.addEventListener("attempt:elsewhere", function () { stopped = true; });
})();
