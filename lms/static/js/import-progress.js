// The progress page of a background import: asks the status endpoint every few seconds,
// moves the bar, and reloads the page once the job has finished (the server renders the
// result). Bound from this static file: the CSP forbids inline scripts.
(function () {
  "use strict";
  var root = document.querySelector("[data-import-job][data-status-url]");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var interval = parseInt(root.getAttribute("data-poll-interval"), 10) || 2000;
  var bar = root.querySelector("[data-import-progress]");
  var rows = root.querySelector("[data-import-rows]");
  var status = root.querySelector("[data-import-status]");
  var writing = root.querySelector("[data-import-writing]");
  // The sentence's words come from the page (translated there): only the numbers change.
  var template = rows ? rows.textContent : "";
  var numbers = /\d+/g;

  function show(data) {
    if (bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
    if (rows) {
      var values = [data.rows_done, data.rows_total];
      var i = 0;
      rows.textContent = template.replace(numbers, function (match) {
        return i < values.length ? String(values[i++]) : match;
      });
    }
    if (status) status.textContent = data.status_label;
    if (writing) {
      writing.hidden = !(data.status === "running" && data.rows_total && data.rows_done >= data.rows_total);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, interval);
        }
      })
      .catch(function () {
        // A dropped connection: try again, more slowly.
        window.setTimeout(poll, interval * 3);
      });
  }

  window.setTimeout(poll, interval);
})();
