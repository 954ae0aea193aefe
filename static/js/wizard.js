/* BookMe wizard: countdown of the hold, focus after partial refreshes, no double submits.
   Everything here is an enhancement: the pages work without it. No inline script anywhere (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function announce(text) {
    var status = document.getElementById("status");
    if (status && text) {
      status.innerHTML = "";
      var p = document.createElement("p");
      p.className = "message warning";
      p.textContent = text;
      status.appendChild(p);
    }
  }

  function tick() {
    var nodes = document.querySelectorAll("[data-expires]");
    var now = Date.now();
    nodes.forEach(function (node) {
      if (!node.hasAttribute("data-deadline")) {
        /* The server says how many seconds are left: the visitor's own clock may be wrong. */
        var seconds = parseInt(node.getAttribute("data-seconds-left"), 10) || 0;
        node.setAttribute("data-deadline", String(now + seconds * 1000));
      }
      var left = Math.max(0, Math.round((parseInt(node.getAttribute("data-deadline"), 10) - now) / 1000));
      var out = node.querySelector(".countdown");
      if (out) { out.textContent = Math.floor(left / 60) + ":" + pad(left % 60); }
      if (left <= 60 && left > 0 && !node.hasAttribute("data-warned")) {
        node.setAttribute("data-warned", "1");
        announce(node.getAttribute("data-warning"));
      }
      if (left === 0 && !node.hasAttribute("data-expired")) {
        node.setAttribute("data-expired", "1");
        announce(node.getAttribute("data-expired-text"));
      }
    });
  }

  function showCountdowns(root) {
    root.querySelectorAll("[data-expires] .live-countdown").forEach(function (el) {
      el.hidden = false;
    });
  }

  function focusSpot(spot) {
    if (!spot) { return; }
    if (!spot.hasAttribute("tabindex")) { spot.setAttribute("tabindex", "-1"); }
    spot.focus();
    if (spot.getAttribute("data-focus") === "always") { spot.setAttribute("data-focus", "done"); }
  }

  /* Where focus was before a swap: a periodic refresh must never pull focus from elsewhere. */
  var focusInside = null;

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    focusInside = target && target.contains(document.activeElement) ? target.id : null;
  });

  function focusAfterSwap() {
    var forced = document.querySelector("[data-focus='always']");
    if (forced) { focusSpot(forced); return; }
    var active = document.activeElement;
    var lost = !active || active === document.body || !document.body.contains(active);
    var region = focusInside && document.getElementById(focusInside);
    if (lost && region) { focusSpot(region.querySelector("[data-focus]") || region.querySelector("h1, h2")); }
    focusInside = null;
  }

  /* A form marked data-swap-errors shows its 4xx answer (a message for the visitor) in its target
     too; htmx's configuration swaps no other 4xx. */
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var elt = evt.detail.elt;
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (status >= 400 && status < 500 && elt && elt.closest && elt.closest("[data-swap-errors]")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    showCountdowns(evt.detail.target);
    focusAfterSwap();
  });

  /* htmx pushes the answers into the address bar: the language switch returns there, not to the
     URL the page was first served under. */
  document.addEventListener("click", function (evt) {
    var link = evt.target.closest ? evt.target.closest(".lang a") : null;
    if (link) {
      var url = new URL(link.href);
      url.searchParams.set("next", window.location.pathname + window.location.search);
      link.href = url.toString();
    }
  });

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.hasAttribute("data-once")) {
      if (form.getAttribute("data-sent") === "1") { evt.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
    }
  });

  /* "Copy link": shown only where the clipboard can be written; says so in the live region. */
  function setUpCopy(root) {
    if (!navigator.clipboard) { return; }
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      var holder = button.closest(".copy");
      if (holder) { holder.hidden = false; }
    });
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-copy]") : null;
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var status = document.getElementById("status");
      if (status) {
        status.innerHTML = "";
        var p = document.createElement("p");
        p.className = "message success";
        p.textContent = button.getAttribute("data-copied");
        status.appendChild(p);
      }
    });
  });

  /* Step 1 and the advisor choice refresh themselves with htmx; the plain submit stays for no-JS. */
  document.addEventListener("DOMContentLoaded", function () {
    showCountdowns(document);
    setUpCopy(document);
    focusSpot(document.querySelector("[data-focus='always']"));
    tick();
    window.setInterval(tick, 1000);
  });
})();
