// babelwire: small progressive enhancements; every page works without this file.
// Loaded as a static file (the Content-Security-Policy forbids inline script).
"use strict";

// Hovering a quotation, its speaker or its entry in "Who said what" lights up the others.
function linkQuoteParts() {
  const parts = document.querySelectorAll("[data-quote]");
  for (const part of parts) {
    const key = part.getAttribute("data-quote");
    if (key === "") continue;
    const same = document.querySelectorAll('[data-quote="' + CSS.escape(key) + '"]');
    part.addEventListener("mouseenter", () => same.forEach((el) => el.classList.add("lit")));
    part.addEventListener("mouseleave", () => same.forEach((el) => el.classList.remove("lit")));
  }
}

// Forms marked data-autosubmit send themselves when a filter changes.
function autosubmitFilters() {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const field of form.querySelectorAll("select, input[type=date], input[type=checkbox]")) {
      field.addEventListener("change", () => form.requestSubmit());
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  linkQuoteParts();
  autosubmitFilters();
});
