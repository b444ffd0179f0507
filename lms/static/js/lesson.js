/* Lesson page: heartbeats while visible, honest video tracking, resume, read aloud.
   The server keeps the time; this script only reports what the cadre actually did. */
(function () {
  "use strict";
  var config = document.getElementById("study-config");
  if (!config) return;
  var BEAT_MS = parseInt(config.dataset.beatMs, 10) || 15000;
  var seq = 0;
  // Whether the cadre touched the page since the last beat; the server decides presence.
  var interacted = false;
  ["scroll", "pointerdown", "keydown", "touchstart"].forEach(function (name) {
    window.addEventListener(name, function () { interacted = true; }, { passive: true, capture: true });
  });
  var atEnd = false;
  var pending = {};      // block id -> [[start, end], ...] played, not yet acknowledged
  var open = {};         // block id -> [start, last] interval being played now
  var positions = {};
  var state = {};
  try { state = JSON.parse(document.getElementById("video-state").textContent) || {}; } catch (e) { state = {}; }
  var history = {};      // block id -> [[start, end], ...] played on this page, for the estimate
  var statusEl = document.getElementById("study-status");
  // Presence check of long videos: the server sends a nonce; only a tap sends it back.
  var dialog = document.getElementById("presence-dialog");
  var check = null;      // {nonce, deadline, timer} of the check on screen
  var answer = null;     // nonce to send until the server acknowledges it
  var autoPausing = false;
  var bar = document.getElementById("time-bar");

  function played(id, start, end) {
    (pending[id] = pending[id] || []).push([start, end]);
    (history[id] = history[id] || []).push([start, end]);
  }

  function closeInterval(id) {
    var run = open[id];
    if (run && run[1] > run[0]) played(id, run[0], run[1]);
    delete open[id];
  }

  function mergedLength(intervals) {
    var sorted = intervals.filter(function (p) { return p[1] > p[0]; })
      .map(function (p) { return [p[0], p[1]]; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var total = 0, current = null;
    sorted.forEach(function (p) {
      if (current && p[0] <= current[1] + 0.5) { current[1] = Math.max(current[1], p[1]); return; }
      if (current) total += current[1] - current[0];
      current = p;
    });
    return current ? total + current[1] - current[0] : total;
  }

  // "watched N%" as it plays: what the server counted at load plus what played here since,
  // measured as the server measures it. Only an estimate: the server's figure (shown on
  // the next load) is the one that counts for credit hours.
  function showWatched(id, video) {
    var known = state[id] || {};
    var duration = known.duration > 0 ? known.duration : video.duration;
    if (!(duration > 0)) return;
    var intervals = (known.played || []).concat(history[id] || []);
    if (open[id]) intervals.push(open[id]);
    var percent = Math.min(100, Math.round(100 * mergedLength(intervals) / duration));
    percent = Math.max(percent, known.watched || 0);
    var el = document.querySelector('.watched[data-block-id="' + id + '"] b');
    if (el && el.textContent !== String(percent)) el.textContent = percent;
  }

  function report() {
    var videos = {};
    Object.keys(open).forEach(function (id) {
      var run = open[id];
      if (run[1] > run[0]) { played(id, run[0], run[1]); open[id] = [run[1], run[1]]; }
    });
    Object.keys(pending).concat(Object.keys(positions)).forEach(function (id) {
      videos[id] = { played: (pending[id] || []).map(function (p) { return [round(p[0]), round(p[1])]; }) };
      if (positions[id] !== undefined) videos[id].position = round(positions[id]);
    });
    return videos;
  }

  function round(x) { return Math.round(x * 10) / 10; }

  function beat(final) {
    if (document.visibilityState !== "visible" && !final) return;
    seq += 1;
    var videos = report();
    var sent = pending;
    pending = {};
    var touched = interacted;
    interacted = false;
    fetch(config.dataset.heartbeatUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!final,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": config.dataset.csrf },
      body: JSON.stringify({ token: config.dataset.token, seq: seq, at_end: atEnd, videos: videos, interacted: touched, check: answer })
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      if (result.status === 200) { show(result.data); return; }
      if (result.status >= 500) { restore(sent); }
      if (statusEl && result.data && result.data.error) statusEl.textContent = result.data.error;
    }).catch(function () {
      restore(sent);
      if (statusEl) statusEl.textContent = config.dataset.offlineText;
    });
  }

  function restore(sent) {
    Object.keys(sent).forEach(function (id) { pending[id] = (sent[id] || []).concat(pending[id] || []); });
  }

  function pauseAll() {
    autoPausing = true;
    document.querySelectorAll("video[data-block-id]").forEach(function (video) { video.pause(); });
    autoPausing = false;
  }

  function missed() {
    if (!check) return;
    clearInterval(check.timer);
    check.missed = true;
    pauseAll();
    document.getElementById("presence-text").hidden = true;
    document.getElementById("presence-missed").hidden = false;
  }

  function showCheck(data) {
    if (!dialog) return;
    if (check && check.nonce === data.nonce) { if (data.missed) missed(); return; }
    if (answer === data.nonce) return;
    if (check) clearInterval(check.timer);
    check = { nonce: data.nonce, deadline: Date.now() + 1000 * data.seconds_left };
    document.getElementById("presence-text").hidden = false;
    document.getElementById("presence-missed").hidden = true;
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    if (!dialog.open) { if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", ""); }
    var left = document.getElementById("presence-left");
    function tick() {
      var seconds = Math.max(0, Math.ceil((check.deadline - Date.now()) / 1000));
      if (left) left.textContent = seconds;
      if (seconds <= 0) missed();
    }
    check.timer = setInterval(tick, 1000);
    tick();
    if (data.missed) missed();
  }

  if (dialog) {
    // The dialog leaves only by its button: Escape would dismiss it unanswered.
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); });
    document.getElementById("presence-continue").addEventListener("click", function () {
      if (check) { clearInterval(check.timer); answer = check.nonce; }
      check = null;
      if (dialog.close) dialog.close(); else dialog.removeAttribute("open");
      interacted = true;
      beat();
    });
  }

  function show(data) {
    if (data.check_answer || !data.check) answer = null;
    if (data.check_answer === "missed" && statusEl) statusEl.textContent = config.dataset.missedText;
    if (data.check) showCheck(data.check);
    Object.keys(data.videos || {}).forEach(function (id) {
      // The server's figure raises the floor (another tab may have played more); the
      // shown number never goes back while the cadre watches.
      state[id] = state[id] || {};
      state[id].watched = Math.max(state[id].watched || 0, data.videos[id]);
      var video = document.querySelector('video[data-block-id="' + id + '"]');
      if (video) showWatched(id, video);
    });
    if (data.completed && statusEl) {
      statusEl.textContent = data.course_completed ? config.dataset.courseDoneText : config.dataset.doneText;
      if (bar) bar.style.width = "100%";
    }
  }

  document.querySelectorAll("video[data-block-id]").forEach(function (video) {
    var id = video.dataset.blockId;
    var last = null;
    showWatched(id, video);
    video.addEventListener("loadedmetadata", function () {
      var resume = state[id] && state[id].position;
      if (resume > 5 && resume < video.duration - 5) video.currentTime = resume;
    });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      positions[id] = t;
      if (video.paused || video.seeking) return;
      // Only continuous playback extends an interval; a jump starts a new one.
      if (open[id] && last !== null && t >= last && t - last < 2) { open[id][1] = t; }
      else { closeInterval(id); open[id] = [t, t]; }
      last = t;
      showWatched(id, video);
    });
    ["play", "pause", "seeked", "ratechange", "volumechange"].forEach(function (name) {
      video.addEventListener(name, function () { if (!autoPausing) interacted = true; });
    });
    video.addEventListener("seeking", function () { closeInterval(id); last = null; });
    video.addEventListener("pause", function () { closeInterval(id); last = null; beat(); });
    video.addEventListener("ended", function () { closeInterval(id); last = null; beat(); });
  });

  var end = document.getElementById("lesson-end");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) atEnd = true;
    }).observe(end);
  }

  beat();
  setInterval(beat, BEAT_MS);
  document.addEventListener("visibilitychange", function () { beat(document.visibilityState !== "visible"); });

  var speak = document.getElementById("read-aloud");
  var speakNote = document.getElementById("read-aloud-note");
  // Without a Chinese voice the phone reads nothing (or reads Chinese as noise): say so in
  // words rather than flip the button to "stop" over silence.
  function noVoice() {
    reading = null;
    speechSynthesis.cancel();
    speak.textContent = config.dataset.readText;
    speakNote.textContent = config.dataset.noVoiceText;
    speakNote.hidden = false;
  }
  function chineseVoice(voices) {
    return voices.filter(function (v) { return /^(zh|cmn)/i.test(v.lang); })[0];
  }
  var reading = null;
  if (speak && "speechSynthesis" in window) {
    speak.hidden = false;
    speak.addEventListener("click", function () {
      if (speechSynthesis.speaking || reading) {
        reading = null;
        speechSynthesis.cancel();
        speak.textContent = config.dataset.readText;
        return;
      }
      var voices = speechSynthesis.getVoices();
      var voice = chineseVoice(voices);
      // Some browsers list their voices late: an empty list is not yet a "no".
      if (voices.length && !voice) { noVoice(); return; }
      var utterance = new SpeechSynthesisUtterance(document.getElementById("lesson-body").innerText);
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      if (voice) utterance.voice = voice;
      var started = false;
      utterance.onstart = function () { started = true; speakNote.hidden = true; };
      utterance.onend = function () { reading = null; speak.textContent = config.dataset.readText; };
      utterance.onerror = function (event) {
        if (reading === utterance && event.error !== "interrupted" && event.error !== "canceled") noVoice();
      };
      reading = utterance;
      speechSynthesis.speak(utterance);
      speak.textContent = config.dataset.stopText;
      // Nothing heard after a few seconds: no voice would read it.
      setTimeout(function () { if (reading === utterance && !started) noVoice(); }, 5000);
    });
  }
})();
