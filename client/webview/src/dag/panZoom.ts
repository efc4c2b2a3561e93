// Drag to pan, wheel to zoom under the mouse: turns pointer input on an element into viewports.
import { panBy, type Viewport, zoomAt } from './viewport';

export interface PanZoomTarget {
  getViewport(): Viewport;
  setViewport(viewport: Viewport): void;
}

/** Attaches pan and zoom to `surface`. Drags that start on `.dag-node` elements are left to the node. */
export function attachPanZoom(surface: HTMLElement, target: PanZoomTarget): void {
  let drag: { pointerId: number; x: number; y: number } | undefined;

  surface.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || (event.target as Element).closest('.dag-node, .dag-overlay')) return;
    drag = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
    surface.setPointerCapture(event.pointerId);
    surface.classList.add('panning');
  });
  surface.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    target.setViewport(panBy(target.getViewport(), event.clientX - drag.x, event.clientY - drag.y));
    drag = { ...drag, x: event.clientX, y: event.clientY };
  });
  const endDrag = (event: PointerEvent) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    drag = undefined;
    surface.classList.remove('panning');
  };
  surface.addEventListener('pointerup', endDrag);
  surface.addEventListener('pointercancel', endDrag);

  surface.addEventListener(
    'wheel',
    (event) => {
      if ((event.target as Element).closest('.dag-overlay')) return;
      event.preventDefault();
      const rect = surface.getBoundingClientRect();
      // Pixel deltas from trackpads are small and many; line deltas from wheels are few and coarse.
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      const factor = Math.exp(-delta * 0.0015);
      target.setViewport(
        zoomAt(target.getViewport(), factor, { x: event.clientX - rect.left, y: event.clientY - rect.top }),
      );
    },
    { passive: false },
  );
}
