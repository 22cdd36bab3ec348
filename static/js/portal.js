/* SPUK-portaal: the little behaviour the page frame needs, as a static file (no inline scripts, so a
   strict Content-Security-Policy can forbid them). Everything works without it: the menu is then always
   open, and the error summary is still at the top of the page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) return;
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("is-open", !open);
    });
  }

  // "Meer" in the main menu closes on Escape and on a click elsewhere, like a menu.
  function setUpMoreMenu() {
    var more = document.querySelector("[data-nav-more]");
    if (!more) return;
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) more.open = false;
    });
    more.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        more.open = false;
        more.querySelector("summary").focus();
      }
    });
  }

  function setUpErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpMoreMenu();
    setUpErrorSummary();
  });
})();
