// Markup lives in <template> elements of the Django templates; scripts clone and fill it
// instead of building it element by element.

// A fresh copy of the first element inside <template id="...">, made by this document (not
// the template's inert one), so that its media and images load as any other.
export function fromTemplate(id) {
  return document.importNode(document.getElementById(id).content.firstElementChild, true);
}

// The element marked data-field="name" inside a copy.
export function field(element, name) {
  return element.querySelector('[data-field="' + name + '"]');
}

// Shows some controls in place of others (开始上课 gives way to 下课). Keyboard focus on one
// that goes away moves to the first one shown, instead of being lost.
export function showInstead(shown, hidden) {
  var focusLost = hidden.indexOf(document.activeElement) >= 0;
  hidden.forEach(function (element) { element.hidden = true; });
  shown.forEach(function (element) { element.hidden = false; });
  if (focusLost && shown.length) shown[0].focus();
}
