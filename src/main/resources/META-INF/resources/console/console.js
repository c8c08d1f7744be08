// Gatehouse console: the few behaviours forms need without a page reload. No framework; htmx is loaded for
// partial updates and sends the CSRF token header set on <body hx-headers>.
(function () {
  "use strict";

  // Host weights → share of traffic per host, live as they are typed. The types that ignore weights come from
  // the server (data-equal-shares, BalancerType.weighted). Only the highest priority tier gets traffic while its
  // hosts are up; lower tiers are spares (0 %).
  function updateShares(table) {
    var editor = table.closest("[data-backend-editor]");
    var typeSelect = editor ? editor.querySelector("select[data-type]") : null;
    var equalTypes = editor && editor.dataset.equalShares ? editor.dataset.equalShares.split(",") : [];
    var equal = typeSelect && equalTypes.indexOf(typeSelect.value) >= 0;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.host"));
    var priorities = rows.map(function (row) {
      var input = row.querySelector("input.priority");
      var p = input ? parseInt(input.value, 10) : 0;
      return isNaN(p) ? 0 : p;
    });
    var top = Math.max.apply(null, priorities.concat([-Infinity]));
    var weights = rows.map(function (row, i) {
      var w = parseInt(row.querySelector("input.weight").value, 10);
      return priorities[i] !== top || isNaN(w) || w < 1 ? 0 : w;
    });
    var inTop = priorities.filter(function (p) { return p === top; }).length;
    var sum = weights.reduce(function (a, b) { return a + b; }, 0);
    rows.forEach(function (row, i) {
      var share = priorities[i] !== top ? 0 : equal ? 100 / inTop : (sum > 0 ? weights[i] * 100 / sum : 0);
      var out = row.querySelector("output");
      var bar = row.querySelector(".bar span");
      if (out) { out.textContent = share.toFixed(1) + "%"; }
      if (bar) { bar.style.width = share.toFixed(1) + "%"; }
    });
  }

  // Names stay index-based (backend.hosts[0].url), so removing a row renumbers the rest.
  function renumber(container, listName, itemSelector) {
    var items = container.querySelectorAll(itemSelector);
    var escaped = listName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var pattern = new RegExp("^" + escaped + "\\[\\d+\\]");
    Array.prototype.forEach.call(items, function (item, i) {
      Array.prototype.forEach.call(item.querySelectorAll("[name]"), function (input) {
        input.name = input.name.replace(pattern, listName + "[" + i + "]");
      });
      Array.prototype.forEach.call(item.querySelectorAll("[data-list]"), function (inner) {
        inner.setAttribute("data-list", inner.getAttribute("data-list").replace(pattern, listName + "[" + i + "]"));
      });
    });
  }

  function fromTemplate(id, replacements) {
    var html = document.getElementById(id).innerHTML;
    Object.keys(replacements).forEach(function (key) { html = html.split(key).join(replacements[key]); });
    var holder = document.createElement("tbody");
    if (/^\s*<tr/.test(html)) {
      holder.innerHTML = html;
      return holder.firstElementChild;
    }
    var div = document.createElement("div");
    div.innerHTML = html;
    return div.firstElementChild;
  }

  // "Copy" next to a secret shown once (a new access token).
  document.addEventListener("click", function (e) {
    var copy = e.target.closest("[data-copy]");
    if (!copy) { return; }
    var text = copy.getAttribute("data-copy");
    var done = function () { copy.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(copy.previousElementSibling);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      copy.textContent = "Selected: press Ctrl+C";
    }
  });

  document.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add-host]");
    if (add) {
      e.preventDefault();
      var table = document.getElementById(add.getAttribute("data-add-host"));
      var list = table.getAttribute("data-list");
      var body = table.querySelector("tbody");
      var row = fromTemplate(table.getAttribute("data-row-template"), { "__LIST__": list, "__I__": body.querySelectorAll("tr.host").length });
      body.appendChild(row);
      updateShares(table);
      row.querySelector("input").focus();
      return;
    }
    var remove = e.target.closest("[data-remove-host]");
    if (remove) {
      e.preventDefault();
      var t = remove.closest("table.hosts");
      remove.closest("tr").remove();
      renumber(t.querySelector("tbody"), t.getAttribute("data-list"), "tr.host");
      updateShares(t);
      return;
    }
    var addTenant = e.target.closest("[data-add-tenant]");
    if (addTenant) {
      e.preventDefault();
      var box = document.getElementById(addTenant.getAttribute("data-add-tenant"));
      var n = box.querySelectorAll(".tenant").length;
      var uid = box.id + "-" + Date.now();
      var block = fromTemplate(box.getAttribute("data-tenant-template"), { "__LIST__": box.getAttribute("data-list"), "__T__": n, "__UID__": uid });
      box.appendChild(block);
      Array.prototype.forEach.call(block.querySelectorAll("table.hosts"), updateShares);
      block.querySelector("input").focus();
      return;
    }
    var removeTenant = e.target.closest("[data-remove-tenant]");
    if (removeTenant) {
      e.preventDefault();
      var tenants = removeTenant.closest("[data-tenants]");
      removeTenant.closest(".tenant").remove();
      renumber(tenants, tenants.getAttribute("data-list"), ".tenant");
    }
  });

  document.addEventListener("input", function (e) {
    if (e.target.matches("input.weight, input.priority")) { updateShares(e.target.closest("table.hosts")); }
  });

  // Selects and radios that show or hide parts of a form: data-toggle="group"; parts carry
  // data-show-when="group:value1,value2".
  function applyToggles(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-show-when]"), function (part) {
      var spec = part.getAttribute("data-show-when").split(":");
      var scope = part.closest("[data-toggle-scope]") || document;
      var control = scope.querySelector("[data-toggle='" + spec[0] + "']:checked, select[data-toggle='" + spec[0] + "']");
      var value = control ? control.value : "";
      part.hidden = spec[1].split(",").indexOf(value) < 0;
    });
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-toggle]")) { applyToggles(document); }
    if (e.target.matches("select[data-type]")) {
      var editor = e.target.closest("[data-backend-editor]");
      Array.prototype.forEach.call(editor.querySelectorAll("table.hosts"), updateShares);
    }
  });

  // One modal for every confirmation (forms with data-confirm), instead of the browser's confirm(): the
  // same look everywhere, the action named on its button, Escape or Cancel to back out.
  function confirmDialog(form) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "confirm-dialog";
      dialog.className = "modal";
      dialog.setAttribute("data-testid", "modal");
      dialog.innerHTML = '<form method="dialog"><p class="modal-message"></p>' +
        '<div class="field modal-comment" hidden><label for="modal-comment-input"></label>' +
        '<input id="modal-comment-input" maxlength="1000" data-testid="modal-comment"></div><div class="actions-bar">' +
        '<button class="btn" value="cancel" data-testid="modal-cancel">Cancel</button> ' +
        '<button class="btn btn-primary" value="ok" data-testid="modal-confirm"></button></div></form>';
      document.body.appendChild(dialog);
    }
    dialog.querySelector(".modal-message").textContent = form.getAttribute("data-confirm");
    // A form with data-confirm-comment asks for a comment in the modal and sends it as its "comment" field.
    var commentBox = dialog.querySelector(".modal-comment");
    var commentInput = commentBox.querySelector("input");
    var commentLabel = form.getAttribute("data-confirm-comment");
    commentBox.hidden = !commentLabel;
    commentBox.querySelector("label").textContent = commentLabel || "";
    commentInput.value = "";
    commentInput.onkeydown = function (e) {
      if (e.key === "Enter") { e.preventDefault(); dialog.close("ok"); }
    };
    var ok = dialog.querySelector("[value=ok]");
    var submit = form.querySelector("[type=submit]");
    ok.textContent = submit ? submit.textContent.trim() : "Confirm";
    ok.className = "btn " + (submit && submit.classList.contains("btn-danger") ? "btn-danger" : "btn-primary");
    dialog.onclose = function () {
      if (dialog.returnValue === "ok") {
        if (commentLabel && form.querySelector("[name=comment]")) {
          form.querySelector("[name=comment]").value = commentInput.value;
        }
        form.setAttribute("data-confirmed", "true");
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    };
    dialog.returnValue = "";
    dialog.showModal();
    (commentLabel ? commentInput : ok).focus();
  }

  // Forms with unsaved edits (data-guard): leaving the page asks first; submitting the form does not.
  var dirty = null;
  function markDirty(e) {
    var form = e.target.closest && e.target.closest("form[data-guard]");
    if (form) { dirty = form; }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-add-host],[data-remove-host],[data-add-tenant],[data-remove-tenant]")) { markDirty(e); }
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty && document.body.contains(dirty)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("data-confirm") && form.getAttribute("data-confirmed") !== "true") {
      e.preventDefault();
      confirmDialog(form);
      return;
    }
    form.removeAttribute("data-confirmed");
    if (form === dirty) { dirty = null; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    applyToggles(document);
    Array.prototype.forEach.call(document.querySelectorAll("table.hosts"), updateShares);
  });
})();
