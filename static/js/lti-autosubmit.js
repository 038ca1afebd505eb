// Submit a form marked data-autosubmit as soon as the page loads (the LTI deep-linking answer
// goes back to the LMS by a form POST). Without JavaScript the user presses its button.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
});
