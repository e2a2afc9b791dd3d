// Filing form. Two enhancements; without JavaScript the form is one page and works the same.
//
// 1. Show only the recipients that apply to the route chosen now. Without JavaScript both
//    lists stay visible, each with its own explanation.
// 2. On a narrow screen (a phone), show the form's three parts one at a time: "Volgende"
//    checks the part's required answers with the server's message and a focused error
//    summary, "Vorige" goes back. Parts are only hidden, never removed, so nothing typed or
//    chosen (files too) is lost; the form is sent from the last part or saved as a draft
//    from any part. Errors from the server open the part that holds the first one.
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function routes() {
    var box = document.getElementById("id_confidential");
    var regular = document.querySelector("[data-route=regular]");
    var confidential = document.querySelector("[data-route=confidential]");
    if (!box || !regular || !confidential) {
      return;
    }
    function update() {
      regular.hidden = box.checked;
      confidential.hidden = false;
    }
    box.addEventListener("change", update);
    update();
  }

  function steps() {
    var form = document.querySelector("form[data-steps]");
    if (!form || !window.matchMedia) {
      return;
    }
    var parts = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    var narrow = window.matchMedia("(max-width: 40rem)");
    var current = 0;

    function stepped() {
      return narrow.matches;
    }

    function show(index, focus) {
      var on = stepped();
      current = index;
      form.classList.toggle("inc-form--steps", on);
      parts.forEach(function (part, i) {
        part.hidden = on && i !== index;
      });
      each(form.querySelectorAll("[data-step-ui]"), function (el) {
        el.hidden = !on;
      });
      each(document.querySelectorAll("[data-step-only]"), function (el) {
        el.hidden = on && String(index + 1) !== el.getAttribute("data-step-only");
      });
      if (focus && on) {
        window.scrollTo(0, 0);
        parts[index].querySelector(".inc-step__title").focus({ preventScroll: true });
      }
    }

    function partOf(el) {
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].contains(el)) {
          return i;
        }
      }
      return -1;
    }

    function labelText(group, input) {
      var label = group.querySelector("legend") || form.querySelector('label[for="' + input.id + '"]');
      if (!label) {
        return "";
      }
      var copy = label.cloneNode(true);
      each(copy.querySelectorAll(".wb-required"), function (el) {
        el.remove();
      });
      return copy.textContent.trim();
    }

    function fieldGroup(input) {
      return input.closest("fieldset.utrecht-form-field") || input.closest(".utrecht-form-field");
    }

    function filled(inputs) {
      return Array.prototype.some.call(inputs, function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          return el.checked;
        }
        return el.value.trim() !== "";
      });
    }

    function clearErrors(part) {
      each(part.querySelectorAll("[data-client-error]"), function (el) {
        el.remove();
      });
      each(part.querySelectorAll("[data-client-invalid]"), function (el) {
        el.classList.remove("utrecht-form-field--invalid");
        el.removeAttribute("data-client-invalid");
      });
      each(part.querySelectorAll("[aria-invalid][data-client-invalid-input]"), function (el) {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("data-client-invalid-input");
      });
    }

    function markInvalid(group, inputs, message) {
      var list = document.createElement("ul");
      var item = document.createElement("li");
      var prefix = document.createElement("span");
      list.className = "errorlist utrecht-form-field-error-message";
      list.id = inputs[0].name + "-client-error";
      list.setAttribute("data-client-error", "");
      prefix.className = "wb-visually-hidden";
      prefix.textContent = form.getAttribute("data-error-prefix") + " ";
      item.appendChild(prefix);
      item.appendChild(document.createTextNode(message));
      list.appendChild(item);
      var after = group.querySelector(".utrecht-form-field-description") ||
        group.querySelector("legend") || group.querySelector("label");
      after.insertAdjacentElement("afterend", list);
      group.classList.add("utrecht-form-field--invalid");
      group.setAttribute("data-client-invalid", "");
      each(inputs, function (input) {
        if (!input.hasAttribute("aria-invalid")) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("data-client-invalid-input", "");
        }
      });
    }

    function summary(errors) {
      var old = form.querySelector("[data-error-summary]");
      if (old) {
        old.remove();
      }
      if (!errors.length) {
        return;
      }
      var box = document.createElement("div");
      var heading = document.createElement("h2");
      var list = document.createElement("ul");
      box.className = "wb-error-summary";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      box.setAttribute("aria-labelledby", "form-error-summary-title");
      box.setAttribute("data-error-summary", "");
      heading.className = "utrecht-heading-2";
      heading.id = "form-error-summary-title";
      heading.textContent = form.getAttribute("data-summary-title");
      errors.forEach(function (error) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + error.id;
        link.textContent = error.text;
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(heading);
      box.appendChild(list);
      form.insertBefore(box, parts[0]);
      window.scrollTo(0, 0);
      box.focus({ preventScroll: true });
    }

    function check(part) {
      var message = form.getAttribute("data-required-message");
      var errors = [];
      clearErrors(part);
      (part.getAttribute("data-required") || "").split(" ").forEach(function (name) {
        if (!name) {
          return;
        }
        var inputs = part.querySelectorAll('[name="' + name + '"]');
        if (!inputs.length || filled(inputs)) {
          return;
        }
        var group = fieldGroup(inputs[0]);
        errors.push({ id: inputs[0].id, text: labelText(group, inputs[0]) + ": " + message });
        markInvalid(group, inputs, message);
      });
      return errors;
    }

    function next() {
      var errors = check(parts[current]);
      summary(errors);
      if (!errors.length && current < parts.length - 1) {
        show(current + 1, true);
      }
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[type=button]");
      if (button && button.hasAttribute("data-step-next")) {
        next();
      } else if (button && button.hasAttribute("data-step-back")) {
        show(Math.max(current - 1, 0), true);
      } else if (button && button.hasAttribute("data-step-draft")) {
        form.querySelector("button[name=action][value=draft]").click();
      }
      var link = event.target.closest("[data-error-summary] a");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target && stepped()) {
        event.preventDefault();
        if (partOf(target) >= 0 && partOf(target) !== current) {
          show(partOf(target), false);
        }
        var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        (field || target).focus();
      }
    });

    // Enter in a one-line answer goes on to the next part instead of sending what is not
    // finished (the form's first submit button is "Melding versturen").
    form.addEventListener("keydown", function (event) {
      var el = event.target;
      if (event.key !== "Enter" || !stepped() || current === parts.length - 1) {
        return;
      }
      if (el.tagName === "INPUT" && el.type !== "file" && el.type !== "checkbox" && el.type !== "radio") {
        event.preventDefault();
        next();
      }
    });

    var invalid = form.querySelector("[data-step] .utrecht-form-field--invalid");
    show(invalid ? partOf(invalid) : 0, false);
    var onChange = function () {
      show(current, false);
    };
    if (narrow.addEventListener) {
      narrow.addEventListener("change", onChange);
    } else {
      narrow.addListener(onChange);
    }
  }

  routes();
  steps();
})();
