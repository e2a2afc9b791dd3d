// Case page: the follow-up sections (letters, aftercare, aangifte, ...) open in place.
// Without JavaScript each section's link loads the same page with that section open. With
// it, the section's fragment is fetched into the page, the address says the section is
// open (a reload keeps it open), and focus goes to the section's heading so that a screen
// reader announces where the user now is. "Sluiten" hides it again and keeps what was
// typed. When the fragment cannot be fetched the link is followed as without JavaScript.
(function () {
  "use strict";

  // The address of the page with section ``id`` open or closed: the sections open now
  // (opened here or by the server, whose links name them) and ``id``. It is the case
  // page's, from the link's address: after a refused form the page's own address is that
  // of the form's POST.
  function address(id, open, href) {
    var url = new URL(href, window.location.href);
    var here = new URL(window.location.href);
    var ids = here.pathname === url.pathname ? here.searchParams.getAll("open") : [];
    ids = ids.concat(url.searchParams.getAll("open")).filter(function (other, i, all) {
      return other !== id && all.indexOf(other) === i;
    });
    if (open) {
      ids.push(id);
    }
    url.search = "";
    ids.forEach(function (other) {
      url.searchParams.append("open", other);
    });
    url.hash = id;
    return url.toString();
  }

  function show(section, link) {
    var closed = section.querySelector("[data-case-closed]");
    var body = section.querySelector("[data-case-body]");
    var heading = section.querySelector("h2");
    function opened() {
      closed.hidden = true;
      window.history.replaceState(null, "", address(section.id, true, link.href));
      heading.focus();
    }
    if (body) {
      body.hidden = false;
      opened();
      return;
    }
    if (section.getAttribute("aria-busy") === "true") {
      return; // already on its way (a second click)
    }
    section.setAttribute("aria-busy", "true");
    fetch(link.getAttribute("data-case-open"), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        // Sent elsewhere (signed out: the login page) or refused: the page itself says why.
        if (!response.ok || response.redirected) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        section.appendChild(template.content);
        section.removeAttribute("aria-busy");
        opened();
      })
      .catch(function () {
        window.location.assign(link.href);
      });
  }

  function hide(section, link) {
    var closed = section.querySelector("[data-case-closed]");
    var body = section.querySelector("[data-case-body]");
    if (!closed) {
      // Rendered open by the server: there is no closed state to go back to.
      return false;
    }
    body.hidden = true;
    closed.hidden = false;
    window.history.replaceState(null, "", address(section.id, false, link.href));
    closed.querySelector("[data-case-open]").focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest("a[data-case-open], a[data-case-close]");
    var section = link && link.closest("[data-case-section]");
    if (!section) {
      return;
    }
    if (link.hasAttribute("data-case-open")) {
      event.preventDefault();
      show(section, link);
    } else if (hide(section, link)) {
      event.preventDefault();
    }
  });
})();
