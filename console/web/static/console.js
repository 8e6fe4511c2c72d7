// matrixpub console: the few things a server-rendered page cannot do alone.
// - the live count of waiting work in the header (server-sent events);
// - the editor's toolbar, dropping pictures on the page, and showing dropped pictures
//   in the live preview before they are uploaded;
// - the website variant's frame on a draft page, as tall as its article.
(function () {
  "use strict";

  // -- the live count -------------------------------------------------------------------
  function watchCount() {
    var badge = document.getElementById("work-count");
    if (!badge || !window.EventSource) return;
    var source = new EventSource("/events");
    source.addEventListener("count", function (event) {
      badge.textContent = event.data;
      badge.setAttribute("data-count", event.data);
      var label = document.getElementById("work-count-label");
      // The words come from the page, in the person's language: "{n} waiting".
      var words = label && label.getAttribute("data-words");
      if (label && words) label.textContent = words.replace("{n}", event.data);
    });
    source.addEventListener("logout", function () {
      source.close();
      window.location.href = "/login";
    });
  }

  // -- the editor -------------------------------------------------------------------------
  var ASCII_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
  var pending = {}; // picture name -> object URL, for pictures chosen but not yet uploaded

  function safeName(file, index) {
    if (ASCII_NAME.test(file.name)) return file.name;
    var ext = (file.type.split("/")[1] || "jpg").replace("jpeg", "jpg");
    var stem = file.name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-._]+|[-._]+$/g, "");
    return (stem || "pic") + "-" + Date.now().toString(36) + index + "." + ext;
  }

  function insertAtCursor(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var chosen = textarea.value.slice(start, end) || placeholder || "";
    var text = before + chosen + (after || "");
    textarea.setRangeText(text, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function renamed(input, files) {
    var transfer = new DataTransfer();
    var names = [];
    Array.prototype.forEach.call(files, function (file, i) {
      var name = safeName(file, i);
      var copy = name === file.name ? file : new File([file], name, { type: file.type });
      transfer.items.add(copy);
      names.push(name);
      pending[name] = URL.createObjectURL(copy);
    });
    input.files = transfer.files;
    return names;
  }

  function showThumbs(list, input) {
    if (!list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      var img = document.createElement("img");
      img.src = pending[file.name] || URL.createObjectURL(file);
      img.alt = file.name;
      item.appendChild(img);
      item.appendChild(document.createTextNode(file.name));
      list.appendChild(item);
    });
  }

  function setUpEditor(form) {
    var body = form.querySelector("textarea[name=body]");
    // What a dropped picture is called until the author describes it, in their language.
    var caption = body.getAttribute("data-picture-caption") || "";
    form.querySelectorAll("[data-md]").forEach(function (button) {
      button.addEventListener("click", function () {
        var parts = button.getAttribute("data-md").split("|");
        insertAtCursor(body, parts[0], parts[1] || "", parts[2] || "");
      });
    });
    form.querySelectorAll("[data-insert-picture]").forEach(function (button) {
      button.addEventListener("click", function () {
        insertAtCursor(body, "\n![" + caption + "](" + button.getAttribute("data-insert-picture") + ")\n", "", "");
      });
    });
    form.querySelectorAll(".drop").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var list = zone.parentNode.querySelector(".thumbs.pending");
      var forBody = input.name === "pictures";
      function take(files) {
        var names = renamed(input, files);
        showThumbs(list, input);
        if (!forBody) {
          var flag = document.getElementById("pending_cover");
          if (flag) flag.value = input.files.length ? "1" : "";
        }
        if (forBody) {
          names.forEach(function (name) {
            insertAtCursor(body, "\n![" + caption + "](" + name + ")\n", "", "");
          });
        }
      }
      input.addEventListener("change", function () {
        if (input.dataset.renaming) return;
        input.dataset.renaming = "1";
        take(input.files);
        delete input.dataset.renaming;
      });
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("over");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () {
          zone.classList.remove("over");
        });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          take(forBody ? event.dataTransfer.files : [event.dataTransfer.files[0]]);
        }
      });
    });
  }

  // Pictures chosen but not uploaded yet appear in the live preview from the browser.
  document.addEventListener("htmx:afterSwap", function (event) {
    event.target.querySelectorAll("img").forEach(function (img) {
      var name = img.getAttribute("src");
      if (pending[name]) img.src = pending[name];
    });
  });

  // -- the website variant on a draft page -------------------------------------------------
  // A phone-shaped frame keeps a phone's height, as its readers scroll it; the website's
  // page is as tall as its article, so a reviewer reads it to its last line (the 落款) in
  // the draft page's own flow, not in a window of its own. Without scripts it stays 720px.
  function fitSiteFrames() {
    var frames = document.querySelectorAll("iframe.site");
    function fit(frame) {
      var doc = frame.contentDocument; // the frame is same-origin, scripts off inside it
      if (!doc || !doc.documentElement || doc.URL === "about:blank") return;
      frame.style.height = "0px"; // measure the article, not the frame's last height
      frame.style.height = doc.documentElement.scrollHeight + "px";
    }
    frames.forEach(function (frame) {
      frame.addEventListener("load", function () { fit(frame); });
      if (frame.contentDocument && frame.contentDocument.readyState === "complete") fit(frame);
    });
    var waiting = null;
    window.addEventListener("resize", function () {
      clearTimeout(waiting);
      waiting = setTimeout(function () { frames.forEach(fit); }, 100);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchCount();
    fitSiteFrames();
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    var form = document.getElementById("editor");
    if (form) setUpEditor(form);
  });
})();
