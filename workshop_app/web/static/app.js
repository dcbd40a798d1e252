/* Common Ground participant page: progressive enhancement over plain HTML forms.
 *
 * Without this script every form still works (the server answers with a new page).
 * With it: submissions go to the JSON API from an outbox kept in localStorage, so a
 * note typed while the Wi-Fi is down is sent once it is back, and never twice (each
 * submission carries its own idempotency key); the page follows the facilitator live
 * over Server-Sent Events and reconnects by itself.
 *
 * Written for old phones: no modules, no arrow functions, no template literals.
 */
(function () {
  "use strict";

  var OUTBOX_KEY = "cg-outbox";
  var MINE_KEY = "cg-my-ratings"; /* this phone's own ratings: never sent anywhere */
  var MINE_MAX = 12; /* rating activities remembered, newest kept */
  var LINK_CHANGED = "The link for this session has changed. Scan the new code on the screen to carry on: you keep your place.";
  var linkHasChanged = false;
  var retryDelay = 2000;
  var retryTimer = null;
  var source = null;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function newKey() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    var out = "";
    for (var j = 0; j < bytes.length; j++) { out += ("0" + bytes[j].toString(16)).slice(-2); }
    return out;
  }

  /* ------------------------------------------------------------ quick exit */

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (link) {
      event.preventDefault();
      try { sessionStorage.clear(); } catch (e) { /* private mode */ }
      try { localStorage.removeItem(MINE_KEY); } catch (e) { /* private mode */ }
      window.location.replace(link.getAttribute("href"));
    }
  });

  var main = $("#main");
  var token = main && main.getAttribute("data-token");
  var canEnhance = !!(window.fetch && window.JSON && window.localStorage && token);
  if (!canEnhance) { return; }

  /* ------------------------------------------------------------ outbox */

  function loadOutbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX_KEY) || "[]") || []; }
    catch (e) { return []; }
  }
  function saveOutbox(items) {
    try { localStorage.setItem(OUTBOX_KEY, JSON.stringify(items)); } catch (e) { /* full */ }
  }
  function removeFromOutbox(key) {
    saveOutbox(loadOutbox().filter(function (item) { return item.body.key !== key; }));
  }
  function mine() {
    var session = main.getAttribute("data-session");
    return loadOutbox().filter(function (item) { return item.session === session; });
  }

  function showOutbox() {
    var box = $(".outbox", main);
    if (!box) { return; }
    var waiting = mine().length;
    /* A confirmation from the server ("Received. Thank you!") never stands beside
       something still waiting to be sent: it would claim more than is true. */
    $all(".flash", main).forEach(function (flash) { flash.hidden = waiting > 0; });
    if (waiting) {
      box.hidden = false;
      box.textContent = waiting === 1
        ? "1 thing you sent is waiting for the connection. It will be sent by itself."
        : waiting + " things you sent are waiting for the connection. They will be sent by themselves.";
    } else if (linkHasChanged) {
      box.hidden = false;
      box.textContent = LINK_CHANGED;
    } else {
      box.hidden = true;
      box.textContent = "";
    }
  }

  function setStatus(form, kind, text) {
    var status = form && $(".status", form);
    if (status) {
      status.className = "status " + kind;
      status.textContent = text;
    }
  }

  function formFor(key) {
    var found = null;
    $all("form[data-api]", main).forEach(function (form) {
      if (form.getAttribute("data-sent-key") === key) { found = form; }
    });
    return found;
  }

  function send(item) {
    return fetch("/j/" + encodeURIComponent(token) + item.path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(item.body)
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        return { status: resp.status, data: data };
      });
    }).then(function (answer) {
      var form = formFor(item.body.key);
      if (answer.status >= 200 && answer.status < 300) {
        removeFromOutbox(item.body.key);
        if (item.kind === "ratings" && item.remember) {
          remember(item.body.activity, item.scale, item.body.ratings || {});
        }
        setStatus(form, "ok", item.done);
        if (form && item.kind === "note") { var t = $("textarea", form); if (t) { t.value = ""; } }
        retryDelay = 2000;
        return "sent";
      }
      if (answer.status === 429 || answer.status === 503 || answer.status >= 500) {
        setStatus(form, "pending", "Not sent yet: the laptop is busy. Trying again shortly.");
        return "later";
      }
      removeFromOutbox(item.body.key);
      setStatus(form, "error", "Not received: " + ((answer.data && answer.data.error) || "please try again."));
      return "refused";
    }, function () {
      setStatus(formFor(item.body.key), "pending",
        "Not sent yet: no connection. It will be sent by itself when the connection is back.");
      return "later";
    });
  }

  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var items = mine();
    showOutbox();
    if (!items.length) { return; }
    flushing = true;
    var lastSent = null, anyLater = false;
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(function (result) {
          if (result === "sent") { lastSent = item.kind; }
          if (result === "later") { anyLater = true; }
        });
      });
    });
    chain.then(function () {
      flushing = false;
      showOutbox();
      if (anyLater) { scheduleRetry(); }
      /* Show what was received; a refusal stays on screen with what the person typed. */
      if (lastSent && !mine().length) { refresh(DONE_PAGE[lastSent] || ""); }
    });
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  /* What a received submission says is the form's own data-done, written by the server
     in the reader's words (an idea or a note), as the page without script says it. The
     server's confirmation then shows on the page that replaces the form. */
  var DONE_PAGE = { note: "note", edit: "edited", withdraw: "withdrawn", votes: "votes", ratings: "ratings", survey: "survey", help: "help" };

  function bodyOf(form, kind) {
    var body = { key: newKey() };
    var activity = form.elements.namedItem("activity");
    if (activity) { body.activity = activity.value; }
    if (kind === "note" || kind === "edit") { body.text = form.elements.namedItem("text").value; }
    if (kind === "help") { body.message = form.elements.namedItem("message").value; }
    if (kind === "votes" || kind === "ratings") {
      var prefix = kind === "votes" ? "dots." : "rating.";
      var values = {};
      $all("input", form).forEach(function (input) {
        if (input.name.indexOf(prefix) !== 0) { return; }
        if (input.type === "radio" && !input.checked) { return; }
        if (input.value === "") { return; }
        values[input.name.slice(prefix.length)] = parseInt(input.value, 10) || 0;
      });
      body[kind === "votes" ? "dots" : "ratings"] = values;
    }
    if (kind === "survey") {
      /* a number for a chosen answer, the words for a written one ("" takes one back) */
      var answers = {};
      $all("input, textarea", form).forEach(function (input) {
        if (input.name.indexOf("answer.") !== 0) { return; }
        var id = input.name.slice("answer.".length);
        if (input.type === "radio") {
          if (input.checked) { answers[id] = parseInt(input.value, 10); }
        } else {
          answers[id] = input.value;
        }
      });
      body.answers = answers;
    }
    return body;
  }

  function enhance(root) {
    $all("form[data-api]", root).forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var kind = form.getAttribute("data-kind");
        var api = form.getAttribute("data-api");
        var body = bodyOf(form, kind);
        var item = {
          session: main.getAttribute("data-session") || "",
          path: api.slice(("/j/" + token).length),
          kind: kind,
          body: body,
          done: form.getAttribute("data-done") || "Received."
        };
        if (kind === "ratings") {
          /* kept in the outbox on this phone only, for "Last time you chose" */
          item.scale = form.getAttribute("data-scale") || "";
          item.remember = form.getAttribute("data-remember") !== "no";
        }
        form.setAttribute("data-sent-key", body.key);
        var items = loadOutbox();
        items.push(item);
        saveOutbox(items);
        setStatus(form, "pending", "Sending…");
        flush();
      });
    });
    $all("a.take-back", root).forEach(confirmFirst);
    var vote = $(".vote-form", root);
    if (vote) { tapToVote(vote); }
    var rate = $(".rate-form", root);
    if (rate) { rememberShown(rate); showOwnPrevious(rate); }
  }

  /* ------------------------------------------------------------ own previous answers */

  /* Delphi rounds show each person their own answer from the round before ("Last time you
     chose 7"). That answer is kept only here, in this phone's localStorage: it is never
     sent to the laptop, which keeps ratings without saying whose. Not on a shared tablet
     (the next person would see it), and forgotten on Quick exit. Without script nothing is
     kept and nothing is shown. */
  function loadMine() {
    try { return JSON.parse(localStorage.getItem(MINE_KEY) || "{}") || {}; }
    catch (e) { return {}; }
  }
  function remember(activity, scale, ratings) {
    if (!activity) { return; }
    var mine = loadMine();
    var entry = mine[activity] || { t: 0, r: {} };
    var any = false;
    for (var id in ratings) {
      if (Object.prototype.hasOwnProperty.call(ratings, id)) {
        entry.r[id] = [scale, ratings[id]];
        any = true;
      }
    }
    if (!any) { return; }
    entry.t = Date.now();
    mine[activity] = entry;
    Object.keys(mine).sort(function (a, b) { return (mine[b].t || 0) - (mine[a].t || 0); })
      .slice(MINE_MAX).forEach(function (old) { delete mine[old]; });
    try { localStorage.setItem(MINE_KEY, JSON.stringify(mine)); } catch (e) { /* full */ }
  }
  /* The answers the laptop has received, as the page shows them ticked. */
  function rememberShown(form) {
    if (form.getAttribute("data-remember") === "no") { return; }
    var activity = form.elements.namedItem("activity");
    var ratings = {};
    $all("input[type=radio]", form).forEach(function (input) {
      if (input.checked && input.name.indexOf("rating.") === 0) {
        ratings[input.name.slice("rating.".length)] = parseInt(input.value, 10);
      }
    });
    remember(activity && activity.value, form.getAttribute("data-scale") || "", ratings);
  }
  function showOwnPrevious(form) {
    if (form.getAttribute("data-remember") === "no") { return; }
    var scale = form.getAttribute("data-scale");
    var mine = loadMine();
    $all(".own-previous", form).forEach(function (line) {
      var entry = mine[line.getAttribute("data-from")];
      var answer = entry && entry.r && entry.r[line.getAttribute("data-statement")];
      if (!answer || answer[0] !== scale) { return; }
      var say = line.getAttribute("data-say-" + answer[1]); /* the server's words only */
      if (!say) { return; }
      line.textContent = say;
      line.hidden = false;
    });
  }

  /* ------------------------------------------------------------ take back, after asking */

  /* Without script the link opens a page that asks first; with it the same question opens
     here, under the note. */
  function confirmFirst(link) {
    var box = document.getElementById(link.getAttribute("data-confirm"));
    if (!box) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.hidden = true;
      box.hidden = false;
      var question = $(".confirm-question", box);
      if (question) { question.focus(); }
    });
    var cancel = $("[data-cancel]", box);
    if (cancel) {
      cancel.addEventListener("click", function () {
        box.hidden = true;
        link.hidden = false;
        link.focus();
      });
    }
  }

  /* ------------------------------------------------------------ dots, by tapping */

  /* Each item gets − and + and shows its dots as pictures; the page says how many dots are
     left, in words and pictures, and never lets the total pass the budget or an item pass
     the cap. The number boxes (the page without script) stay in the form, kept in step, and
     are what is sent. The words come from the form's data- attributes ("#" is the number). */
  function tapToVote(form) {
    var budget = parseInt(form.getAttribute("data-budget"), 10) || 0;
    var cap = parseInt(form.getAttribute("data-cap"), 10) || budget;
    var locked = form.className.indexOf("locked") !== -1;
    var left = $(".left", form);
    var items = $all(".vote-item", form).map(function (row) {
      return {
        input: $("input[type=number]", row),
        less: $(".stepper .less", row),
        more: $(".stepper .more", row),
        dots: $(".stepper .dot-row", row),
        count: $(".stepper .count", row)
      };
    }).filter(function (it) { return it.input && it.less && it.more && it.dots && it.count; });
    if (!left || !items.length) { return; }

    function words(base, n) {
      if (n === 0) { return form.getAttribute("data-" + base + "-none"); }
      if (n === 1) { return form.getAttribute("data-" + base + "-one"); }
      return form.getAttribute("data-" + base + "-many").replace("#", String(n));
    }
    function value(it) {
      var n = parseInt(it.input.value, 10);
      return isNaN(n) || n < 0 ? 0 : n;
    }
    function pictures(holder, n, className) {
      while (holder.children.length > n) { holder.removeChild(holder.lastChild); }
      while (holder.children.length < n) {
        var dot = document.createElement("span");
        dot.className = className;
        holder.appendChild(dot);
      }
    }
    function setOff(button, off) { button.setAttribute("aria-disabled", off ? "true" : "false"); }
    function isOff(button) { return button.getAttribute("aria-disabled") === "true"; }

    function draw() {
      var used = 0;
      items.forEach(function (it) { used += value(it); });
      var spare = Math.max(0, budget - used);
      items.forEach(function (it) {
        var n = value(it);
        pictures(it.dots, n, "dot");
        it.count.textContent = words("count", n);
        setOff(it.less, locked || n <= 0);
        setOff(it.more, locked || spare <= 0 || n >= cap);
      });
      pictures($(".dot-row", left), spare, "dot spare");
      $(".left-words", left).textContent = words("left", spare);
    }

    items.forEach(function (it) {
      it.less.addEventListener("click", function () {
        if (isOff(it.less)) { return; }
        it.input.value = String(value(it) - 1);
        draw();
      });
      it.more.addEventListener("click", function () {
        if (isOff(it.more)) { return; }
        it.input.value = String(value(it) + 1);
        draw();
      });
      it.input.parentNode.hidden = true;
      it.less.parentNode.hidden = false;
    });
    var hint = $(".typed-hint", form);
    if (hint) { hint.hidden = true; }
    left.hidden = false;
    draw();
  }

  /* ------------------------------------------------------------ said politely */

  /* A box that appears on a page the script swapped in (the help offered gently after a
     worrying note) is read out once, politely, never as an alert: a live region has to be
     on the page before its words change, so this one sits outside <main>, which refresh
     replaces. It says the box's own words, as the server wrote them. */
  var say = document.createElement("p");
  say.className = "say";
  say.setAttribute("role", "status");
  say.setAttribute("aria-live", "polite");
  document.body.appendChild(say);
  var sayTimer = null;

  function announce(box) {
    if (!box) { return; }
    var words = (box.textContent || "").replace(/\s+/g, " ").trim();
    say.textContent = "";
    if (sayTimer) { clearTimeout(sayTimer); }
    /* a moment after the swap, so the change is heard as new; emptied again later so a
       reader moving through the page does not meet the words twice */
    sayTimer = setTimeout(function () {
      say.textContent = words;
      sayTimer = setTimeout(function () { say.textContent = ""; sayTimer = null; }, 15000);
    }, 300);
  }

  /* ------------------------------------------------------------ live updates */

  /* One refresh at a time: two in flight could land out of order and leave the page
     on the older one, with no further event to correct it. A refresh asked for while
     one runs happens once it has finished. A refresh that fails (the Wi-Fi dropped the
     answer, the laptop was busy) is tried again a moment later, then less often, until
     one lands: the live event that asked for it will not come again. */
  var refreshing = false;
  var refreshAgain = null; /* null: none waiting; else the "done" word it carries ("") */
  var refreshRetry = null;
  var refreshDelay = 1000;

  function refreshLater(done) {
    if (refreshRetry) { return; }
    refreshRetry = setTimeout(function () { refreshRetry = null; refresh(done); }, refreshDelay);
    refreshDelay = Math.min(refreshDelay * 2, 15000);
  }

  function refresh(done) {
    if (refreshing) { refreshAgain = done || refreshAgain || ""; return; }
    refreshing = true;
    var failed = false;
    var url = window.location.pathname + (done ? "?done=" + encodeURIComponent(done) : "");
    fetch(url, { credentials: "same-origin", headers: { "X-Fragment": "1" } })
      .then(function (resp) {
        if (resp.ok) { return resp.text(); }
        /* busy or rate-limited: worth another try; a page that is gone is not */
        failed = resp.status === 429 || resp.status >= 500;
        return null;
      })
      .then(function (html) {
        if (!html) { return; }
        refreshDelay = 1000;
        if (refreshRetry) { clearTimeout(refreshRetry); refreshRetry = null; }
        var holder = document.createElement("div");
        holder.innerHTML = html; /* rendered and escaped by the server */
        var fresh = holder.querySelector("#main");
        if (!fresh) { return; }
        var typed = $("#text", main);
        var keep = typed && typed.value && fresh.getAttribute("data-version") === main.getAttribute("data-version")
          ? typed.value : null;
        var hadSupport = !!$("[data-support]", main);
        main.parentNode.replaceChild(fresh, main);
        main = fresh;
        if (keep) { var t = $("#text", main); if (t) { t.value = keep; } }
        enhance(main);
        showOutbox();
        if (!hadSupport) { announce($("[data-support]", main)); }
      })
      .catch(function () { failed = true; })
      .then(function () {
        refreshing = false;
        if (refreshAgain !== null) {
          var next = refreshAgain;
          refreshAgain = null;
          refresh(next);
        } else if (failed) {
          refreshLater(done);
        }
      });
  }

  function listen() {
    if (!window.EventSource) { return; }
    source = new EventSource("/j/" + encodeURIComponent(token) + "/events");
    source.addEventListener("open", function () { flush(); });
    source.addEventListener("state", function (event) {
      var state;
      try { state = JSON.parse(event.data); } catch (e) { return; }
      if (state.session === "closed") { sessionEnded(); return; }
      if (main.getAttribute("data-version") !== state.version) { refresh(); }
    });
    source.addEventListener("mine", function () {
      /* The facilitator approved, hid or corrected one of this phone's notes. */
      refresh();
    });
    source.addEventListener("rotated", function () {
      source.close();
      linkChanged();
    });
    source.addEventListener("error", function () {
      /* The browser retries lost connections by itself, but gives up on an answer that is
         not a stream: then ask why. A phone asleep while the facilitator changed the link
         comes back to a link that no longer works (404, or 429 once many have tried). */
      if (source.readyState !== 2) { return; }
      fetch("/j/" + encodeURIComponent(token) + "/api/state",
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (resp) {
          if (resp.status === 404 || resp.status === 429) { linkChanged(); return; }
          setTimeout(listen, 5000);
        }, function () { setTimeout(listen, 5000); });
    });
  }

  function sessionEnded() {
    /* Said at once, from the event itself: the laptop stops serving right after. */
    var kicker = $(".kicker", main) || $("h1", main);
    var title = kicker ? kicker.textContent : "";
    var ended = document.createElement("main");
    ended.id = "main";
    ended.setAttribute("data-live", "no");
    var h1 = document.createElement("h1");
    h1.textContent = title;
    var p = document.createElement("p");
    p.setAttribute("role", "status");
    p.textContent = "This session has ended. Thank you for taking part!";
    ended.appendChild(h1);
    ended.appendChild(p);
    main.parentNode.replaceChild(ended, main);
    main = ended;
    if (source) { source.close(); }
  }

  function linkChanged() {
    linkHasChanged = true;
    showOutbox();
  }

  if (window.history && window.history.replaceState && window.location.search) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(); } });
  enhance(main);
  if (main.getAttribute("data-live") !== "no") { listen(); }
  flush();
})();
