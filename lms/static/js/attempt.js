/* Exam attempt page: save each answer as it is given; keep unsent answers in this
   phone's storage so nothing is lost offline or on reload; show the server's time. */
(function () {
  "use strict";
  var config = document.getElementById("attempt-config");
  if (!config) return;
  var d = config.dataset;
  // Starting an exam answers its POST with this page: show the attempt's own address, so
  // that a reload or a shared link reads the attempt instead of posting the start again.
  if (d.page && window.location.pathname !== d.page && window.history.replaceState) {
    window.history.replaceState(null, "", d.page);
  }
  var storeKey = "attempt:" + d.attempt;
  var form = document.getElementById("attempt-form");
  var netStatus = document.getElementById("net-status");
  var stored = load();
  var pending = stored.pending || {};      // position -> {answer, seq}
  var nextSeq = Math.max(parseInt(d.nextSeq, 10) || 1, stored.nextSeq || 1);
  var sending = {};
  var finished = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify({ pending: pending, nextSeq: nextSeq })); } catch (e) { /* storage full or blocked: answers still go out */ }
  }
  function fieldset(position) { return document.getElementById("q" + position); }
  function setState(position, state, text) {
    var el = fieldset(position) && fieldset(position).querySelector(".save-state");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text || "";
  }

  function answerOf(box) {
    if (box.dataset.kind === "blank") {
      var texts = Array.prototype.map.call(box.querySelectorAll("input[type=text]"), function (i) { return i.value.trim(); });
      return texts.some(function (t) { return t; }) ? { blanks: texts } : null;
    }
    var keys = Array.prototype.filter.call(box.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    return keys.length ? { choices: keys } : null;
  }

  function apply(box, answer) {
    if (answer.blanks) {
      box.querySelectorAll("input[type=text]").forEach(function (input, i) { input.value = answer.blanks[i] || ""; });
    } else if (answer.choices) {
      box.querySelectorAll("input").forEach(function (input) { input.checked = answer.choices.indexOf(input.value) >= 0; });
    }
  }

  function record(box) {
    var answer = answerOf(box);
    if (!answer) return;
    var position = box.dataset.position;
    pending[position] = { answer: answer, seq: nextSeq++ };
    save();
    send(position);
    count();
  }

  function send(position) {
    var item = pending[position];
    if (!item || sending[position] || finished) return;
    sending[position] = item.seq;
    setState(position, "saving", d.textSaving);
    fetch(d.api, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-Attempt-Token": d.token },
      body: JSON.stringify({ position: parseInt(position, 10), answer: item.answer, seq: item.seq })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      delete sending[position];
      if (result.status === 200) {
        online(true);
        if (pending[position] && pending[position].seq <= result.data.seq) delete pending[position];
        save();
        setState(position, "saved", d.textSaved);
        if (typeof result.data.remaining === "number") syncClock(result.data.remaining);
        if (pending[position]) send(position);
      } else if (result.status === 409) {
        finish(result.data.error || d.textTimeup);
      } else if (result.status >= 500 || result.status === 0) {
        setState(position, "waiting", d.textWaiting);
      } else {
        // The server refused this answer for good (bad shape, foreign question): say so.
        delete pending[position];
        save();
        setState(position, "error", result.data.error || "");
      }
    }).catch(function () {
      delete sending[position];
      online(false);
      setState(position, "waiting", d.textWaiting);
    });
  }

  function flush() { Object.keys(pending).forEach(send); }
  function online(yes) { if (netStatus) netStatus.textContent = yes ? "" : d.textOffline; }

  function count() {
    var boxes = form.querySelectorAll("fieldset.question");
    var done = Array.prototype.filter.call(boxes, function (box) { return answerOf(box); }).length;
    var el = document.getElementById("progress-count");
    if (el) el.textContent = done + " / " + boxes.length + " " + d.textAnswered;
    return boxes.length - done;
  }

  // Restore answers this phone had not yet delivered (a reload, a crash, no signal).
  Object.keys(pending).forEach(function (position) {
    var box = fieldset(position);
    if (box) { apply(box, pending[position].answer); setState(position, "waiting", d.textWaiting); }
    else delete pending[position];
  });
  // This script is deferred: on a slow phone a cadre may tap answers before it runs, and
  // the browser may restore a form on back/forward. Anything that differs from what the
  // server rendered is an answer nobody has sent yet.
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.question"), function (box) {
    if (pending[box.dataset.position]) return;
    var changed = Array.prototype.some.call(box.querySelectorAll("input"), function (input) {
      return input.type === "text" ? input.value !== input.defaultValue : input.checked !== input.defaultChecked;
    });
    if (changed) record(box);
  });
  count();

  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset.question");
    if (box) record(box);
  });
  var timers = {};
  form.addEventListener("input", function (event) {
    var box = event.target.closest("fieldset.question");
    if (!box || box.dataset.kind !== "blank") return;
    clearTimeout(timers[box.dataset.position]);
    timers[box.dataset.position] = setTimeout(function () { record(box); }, 700);
  });
  window.addEventListener("online", function () { online(true); flush(); });
  window.addEventListener("offline", function () { online(false); });
  setInterval(flush, 5000);
  flush();

  // The countdown shows the server's remaining time, resynchronised by every save.
  var clock = document.getElementById("countdown");
  var endsAt = performance.now() + parseInt(d.remaining, 10) * 1000;
  function syncClock(seconds) { endsAt = performance.now() + seconds * 1000; }
  function tick() {
    var left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    clock.textContent = (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    clock.classList.toggle("urgent", left < 300);
    if (left === 0) { finish(d.textTimeup); return; }
    setTimeout(tick, 1000);
  }
  tick();

  function finish(message) {
    if (finished) return;
    finished = true;
    if (netStatus) netStatus.textContent = message;
    setTimeout(function () { window.location.href = d.result; }, 1500);
  }

  form.addEventListener("submit", function (event) {
    if (Object.keys(pending).length) {
      event.preventDefault();
      flush();
      alert(d.textUnsent);
      return;
    }
    if (count() > 0 && !confirm(d.textUnanswered)) { event.preventDefault(); return; }
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing to clean */ }
  });
})();
