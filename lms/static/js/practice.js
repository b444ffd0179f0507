/* Practice attempts: a "check" button under each question asks the server to judge the
   saved answer; the answer is then shown with the key and locked. Loaded only when the
   exam is a practice, so no other exam page ever asks for a key. */
(function () {
  "use strict";
  var config = document.getElementById("practice-config");
  var form = document.getElementById("attempt-form");
  if (!config || !form) return;
  var d = config.dataset;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(box, result) {
    box.dataset.locked = "1";
    box.querySelectorAll("input").forEach(function (input) {
      input.disabled = true;
      var label = input.closest("label.option");
      if (label && result.correct_keys.indexOf(input.value) >= 0) label.classList.add("key");
    });
    var button = box.querySelector(".practice-check");
    if (button) button.remove();
    var out = box.querySelector(".practice-feedback");
    out.textContent = "";
    out.className = "practice-feedback " + (result.correct ? "right" : "wrong");
    out.appendChild(el("p", "verdict", result.correct ? d.textRight : d.textWrong));
    if (box.dataset.kind === "blank") {
      out.appendChild(el("p", "", d.textYours + ": " + result.answer.join("；")));
      out.appendChild(el("p", "", d.textAccepted + ": " + result.accepted.map(function (a) { return a.join(" / "); }).join("；")));
    } else {
      var texts = result.correct_keys.map(function (key) {
        var input = box.querySelector("input[value='" + key + "']");
        var label = input && input.closest("label.option");
        return label ? label.textContent.trim() : key;
      });
      out.appendChild(el("p", "", d.textKey + ": " + texts.join("；")));
    }
    if (result.explanation) {
      var explanation = el("div", "explanation");
      explanation.appendChild(el("strong", "", d.textExplanation + " "));
      var body = el("span");
      body.innerHTML = result.explanation;  // sanitised by the question bank when saved
      explanation.appendChild(body);
      out.appendChild(explanation);
    }
    if (result.law_reference) {
      var basis = el("p", "law-basis", d.textBasis + "：");
      var reference = el("span");
      reference.innerHTML = result.law_reference;  // built and escaped by the server
      basis.appendChild(reference);
      out.appendChild(basis);
    }
    (result.articles || []).forEach(function (article) {
      // The article's text from the law library, under an explanation that only cites it.
      var quote = el("blockquote", "law-article explanation-article");
      article.text.split(/\r?\n/).forEach(function (paragraph, index) {
        var p = el("p");
        if (index === 0) {
          var link = el("a", "law-article-label", article.label);
          link.href = article.url;
          p.appendChild(link);
          p.appendChild(document.createTextNode(" "));
        }
        p.appendChild(document.createTextNode(paragraph));
        quote.appendChild(p);
      });
      out.appendChild(quote);
    });
  }

  function check(box, button) {
    button.disabled = true;
    fetch(d.check, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: parseInt(box.dataset.position, 10) })
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (result.ok) { show(box, result); return; }
      box.querySelector(".practice-feedback").textContent = result.error || "";
      button.disabled = false;
    }).catch(function () { button.disabled = false; });
  }

  form.querySelectorAll("fieldset.question").forEach(function (box) {
    var state = box.querySelector(".save-state");
    var button = el("button", "button small practice-check", d.textCheck);
    button.type = "button";
    var out = el("div", "practice-feedback");
    out.setAttribute("aria-live", "polite");
    box.appendChild(button);
    box.appendChild(out);
    function sync() { button.disabled = state.dataset.state !== "saved"; }
    sync();
    new MutationObserver(sync).observe(state, { attributes: true, attributeFilter: ["data-state"] });
    button.addEventListener("click", function () { check(box, button); });
  });

  // After a reload: show what was already checked, and keep it locked.
  fetch(d.checked, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      (data.items || []).forEach(function (result) {
        var box = document.getElementById("q" + result.position);
        if (box) show(box, result);
      });
    }).catch(function () { /* offline: the buttons still work when the connection returns */ });
})();
