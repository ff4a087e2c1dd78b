/*
 * The article's scrollytelling: each step (an element with data-step) says what the sticky
 * widget should show — data-preset (a scenario), data-seek (stand at a tick) or data-play — and
 * the step that crosses the middle of the screen sends it, through the <cascade-lab> element's
 * methods (embed.js). Readers who prefer less motion get no smooth scrolling, and the widget
 * completes each run at once for them by itself.
 */
(() => {
  'use strict';
  const widget = document.getElementById('story-widget');
  const graphic = document.getElementById('graphic');
  const steps = [...document.querySelectorAll('[data-step]')];
  if (!widget || steps.length === 0) return;

  /** The scenario the widget holds: the element's own preset until a step loads another. */
  let preset = widget.getAttribute('preset');
  let active;

  function show(step) {
    if (step === active) return;
    active?.classList.remove('is-active');
    step.classList.add('is-active');
    active = step;
    const { preset: wanted, seek } = step.dataset;
    if (wanted && wanted !== preset) {
      widget.preset(wanted);
      preset = wanted;
    }
    if (seek !== undefined) widget.seek(Number(seek));
    if ('play' in step.dataset) widget.play();
    document.documentElement.dataset.activeStep = step.dataset.step;
  }

  // A step is "on" while it crosses a line through the middle of the screen.
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) if (entry.isIntersecting) show(entry.target);
    },
    { rootMargin: '-50% 0px -50% 0px' },
  );
  for (const step of steps) observer.observe(step);

  // On a narrow screen the widget can be taller than the screen: keep its lower part (the chart
  // and the play strip) in view while the steps scroll past.
  widget.addEventListener('cascade-lab:height', (event) => {
    graphic.style.setProperty('--widget-height', `${Math.ceil(event.detail.height)}px`);
  });
})();
