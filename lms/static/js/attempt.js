/* Exam attempt page: save each answer as it is given; keep unsent answers in this
   phone's storage so nothing is lost offline or on reload; show the server's time; a
   navigator (答题卡) with the cadre's own flags, one question per screen for long papers,
   and a confirmation before 交卷 that first delivers what is still unsent. */
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
  var boxes = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var netStatus = document.getElementById("net-status");
  var stored = load();
  var pending = stored.pending || {};      // position -> {answer, seq}
  var nextSeq = Math.max(parseInt(d.nextSeq, 10) || 1, stored.nextSeq || 1);
  var flags = stored.flags || {};          // position -> true: the cadre's own reminders
  var sending = {};
  var finished = false;
  var submitting = false;                  // 确认交卷 tapped: submit once all is delivered

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify({ pending: pending, nextSeq: nextSeq, flags: flags, at: at })); } catch (e) { /* storage full or blocked: answers still go out */ }
  }
  function fieldset(position) { return document.getElementById("q" + position); }
  function setState(position, state, text) {
    var el = fieldset(position) && fieldset(position).querySelector(".save-state");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text || "";
    paint();
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
        settle();
      } else if (result.status === 409 && result.data.code === "elsewhere") {
        elsewhere(result.data.error);
      } else if (result.status === 409) {
        finish(result.data.error || d.textTimeup);
      } else if (result.status >= 500 || result.status === 0 || result.status === 429) {
        setState(position, "waiting", d.textWaiting);
        settle();
      } else {
        // The server refused this answer for good (400: invalid, e.g. characters no
        // database stores; a foreign question): never resend it, and tell the cadre.
        delete pending[position];
        save();
        setState(position, "error", result.data.error || d.textRefused);
        settle();
      }
    }).catch(function () {
      delete sending[position];
      online(false);
      setState(position, "waiting", d.textWaiting);
      settle();
    });
  }

  function flush() { Object.keys(pending).forEach(send); }
  function online(yes) { if (netStatus) netStatus.textContent = yes ? "" : d.textOffline; }

  // Placeholders are numbered, {1} {2}: the translated texts carry no English names.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function count() {
    var done = boxes.filter(function (box) { return answerOf(box); }).length;
    var el = document.getElementById("progress-count");
    if (el) el.textContent = fill(d.textProgress, { 1: done, 2: boxes.length });
    paint();
    return boxes.length - done;
  }

  // The navigator (答题卡): one cell per question, its state said in text as well as colour.
  var at = stored.at || (boxes[0] && boxes[0].dataset.position);  // the question in front of the cadre
  var grid = document.getElementById("nav-grid");
  var navigator_ = document.getElementById("navigator");
  var navOpen = document.getElementById("nav-open");
  var cells = {};
  boxes.forEach(function (box) {
    var position = box.dataset.position;
    box.tabIndex = -1;  // focus follows a jump, so a screen reader reads the question reached
    // The page brings the flag with its place kept, so showing it moves nothing.
    var flag = box.querySelector(".flag");
    flag.setAttribute("aria-pressed", flags[position] ? "true" : "false");
    flag.addEventListener("click", function () {
      if (flags[position]) delete flags[position]; else flags[position] = true;
      flag.setAttribute("aria-pressed", flags[position] ? "true" : "false");
      save();
      paint();
    });
    if (!grid) return;
    var cell = document.createElement("button");
    cell.type = "button";
    cell.className = "nav-q";
    cell.dataset.go = position;
    cell.innerHTML = '<span class="nav-n"></span><span class="nav-s"></span>';
    cell.firstChild.textContent = position;
    var item = document.createElement("li");
    item.appendChild(cell);
    grid.appendChild(item);
    cells[position] = cell;
  });
  form.classList.add("attempt-ready");
  function paint() {
    boxes.forEach(function (box) {
      var position = box.dataset.position, cell = cells[position];
      if (!cell) return;
      var state = pending[position] ? "unsent" : answerOf(box) ? "answered" : "empty";
      var word = { unsent: d.textNotSent, answered: d.textAnswered, empty: d.textUnanswered }[state];
      var mark = { unsent: "↑", answered: "✓", empty: "○" }[state];
      cell.dataset.state = state;
      cell.dataset.flagged = flags[position] ? "1" : "";
      cell.lastChild.textContent = mark + word + (flags[position] ? " ⚑" : "");
      cell.setAttribute("aria-label", fill(d.textQuestion, { 1: position }) + " " + word + (flags[position] ? " " + d.textFlagged : ""));
      if (position === at) cell.setAttribute("aria-current", "true"); else cell.removeAttribute("aria-current");
    });
    var current = document.getElementById("nav-current");
    if (current) current.textContent = boxes.indexOf(fieldset(at)) + 1;
  }
  function openDialog(dialog) {
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
  }
  function closeDialog(dialog) {
    if (dialog.close) dialog.close(); else dialog.removeAttribute("open");
  }
  if (navOpen && navigator_) {
    navOpen.hidden = false;
    navOpen.addEventListener("click", function () {
      paint();
      openDialog(navigator_);
      if (cells[at]) cells[at].focus();
    });
    grid.addEventListener("click", function (event) {
      var cell = event.target.closest("button.nav-q");
      if (!cell) return;
      closeDialog(navigator_);
      go(cell.dataset.go);
    });
    document.getElementById("navigator-close").addEventListener("click", function () { closeDialog(navigator_); });
  }

  // One question per screen (long papers, the cadre's choice, kept on this phone): the
  // server's page is the whole paper; this only hides the other questions.
  var modeKey = "attempt-mode";
  var modeSwitch = document.getElementById("mode-switch");
  var pager = document.getElementById("pager");
  var solo = false;
  function show() {
    var index = Math.max(0, boxes.indexOf(fieldset(at)));
    boxes.forEach(function (box, i) { box.hidden = solo && i !== index; });
    pager.hidden = !solo;
    document.getElementById("prev-question").disabled = index === 0;
    document.getElementById("next-question").disabled = index === boxes.length - 1;
    paint();
  }
  function setMode(yes) {
    solo = yes;
    modeSwitch.setAttribute("aria-pressed", yes ? "true" : "false");
    try { localStorage.setItem(modeKey, yes ? "solo" : "all"); } catch (e) { /* the choice lasts this page */ }
    show();
  }
  function go(position) {
    var box = fieldset(position);
    if (!box) return;
    at = position;
    save();
    show();
    box.scrollIntoView({ block: "start" });
    box.focus({ preventScroll: true });
  }
  function step(by) {
    var box = boxes[boxes.indexOf(fieldset(at)) + by];
    if (box) go(box.dataset.position);
  }
  if (modeSwitch && pager) {
    modeSwitch.hidden = false;
    var chosen = null;
    try { chosen = localStorage.getItem(modeKey); } catch (e) { /* no storage: whole paper */ }
    setMode(chosen === "solo");
    modeSwitch.addEventListener("click", function () { setMode(!solo); go(at); });
    document.getElementById("prev-question").addEventListener("click", function () { step(-1); });
    document.getElementById("next-question").addEventListener("click", function () { step(1); });
  }
  // On the whole page, the question in front of the cadre is the one at the top of the screen.
  if (window.IntersectionObserver) {
    var watcher = new IntersectionObserver(function (entries) {
      if (solo) return;
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { at = entry.target.dataset.position; paint(); }
      });
    }, { rootMargin: "-130px 0px -60% 0px" });
    boxes.forEach(function (box) { watcher.observe(box); });
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
  boxes.forEach(function (box) {
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

  // The countdown shows the server's remaining time, resynchronised by every save. An
  // untimed window shows its closing date instead, until the deadline comes near.
  var clock = document.getElementById("countdown");
  var closesAt = document.getElementById("closes-at");
  var within = parseInt(d.countdownWithin, 10) || 0;
  var endsAt = performance.now() + parseInt(d.remaining, 10) * 1000;
  function syncClock(seconds) { endsAt = performance.now() + seconds * 1000; }
  function tick() {
    var left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    if (clock.hidden && left <= within) {
      clock.hidden = false;
      if (closesAt) closesAt.hidden = true;
    }
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

  // The attempt now runs on another device (exams/services/integrity.py): stop saving,
  // keep the unsent answers here, and offer to continue on this device instead.
  function elsewhere(message) {
    if (finished) return;
    finished = true;
    if (netStatus) netStatus.textContent = message;
    var box = document.getElementById("attempt-stopped");
    if (box) {
      document.getElementById("attempt-stopped-text").textContent = message;
      box.hidden = false;
      box.scrollIntoView({ block: "center" });
    }
    Object.keys(pending).forEach(function (position) { setState(position, "waiting", ""); });
    document.getElementById("submit-attempt").disabled = true;
    document.dispatchEvent(new CustomEvent("attempt:elsewhere", { detail: message }));
  }
  document.addEventListener("attempt:elsewhere", function (event) { elsewhere(event.detail); });

  // 交卷 asks first, with the counts; 确认交卷 delivers what is unsent, then submits. If the
  // link is down the answers stay queued here and the cadre is told to connect.
  var dialog = document.getElementById("submit-dialog");
  var summary = document.getElementById("submit-summary");
  var status = document.getElementById("submit-status");
  var confirmButton = document.getElementById("submit-confirm");
  var confirmed = false;
  function summarise() {
    var unsent = Object.keys(pending).length, unanswered = count();
    summary.textContent = fill(d.textSummary, { 1: boxes.length - unanswered, 2: unanswered }) +
      (unsent ? fill(d.textSummaryUnsent, { 1: unsent }) : "");
  }
  function say(text) {
    status.hidden = !text;
    status.textContent = text || "";
  }
  function submitNow() {
    confirmed = true;
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing to clean */ }
    form.submit();
  }
  function settle() {
    if (!submitting) return;
    summarise();
    if (!Object.keys(pending).length) { submitNow(); return; }
    if (Object.keys(sending).length) return;
    submitting = false;
    confirmButton.disabled = false;
    say(d.textUnsent);
  }
  form.addEventListener("submit", function (event) {
    if (confirmed) return;
    event.preventDefault();
    // A blank still being typed is an answer too: record it now, not in 700 ms.
    Object.keys(timers).forEach(function (position) {
      clearTimeout(timers[position]);
      delete timers[position];
      record(fieldset(position));
    });
    summarise();
    say("");
    confirmButton.disabled = false;
    openDialog(dialog);
  });
  document.getElementById("submit-back").addEventListener("click", function () { closeDialog(dialog); });
  dialog.addEventListener("close", function () { submitting = false; });
  confirmButton.addEventListener("click", function () {
    if (!Object.keys(pending).length) {
      if (navigator.onLine === false) { say(d.textNoConnection); return; }
      submitNow();
      return;
    }
    submitting = true;
    confirmButton.disabled = true;
    say(d.textSending);
    flush();
    settle();
  });
})();
