// Pan and zoom as plain numbers: screen = graph * zoom + (x, y). Pure, so the "keep the viewport
// stable while the graph changes under it" rules can be tested without a browser.
import type { NodeBox, Point } from '../layout/layoutGraph';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2.5;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Shows the whole graph in the screen, centred, never enlarged past 100%. */
export function fitViewport(graph: Size, screen: Size, padding = 16): Viewport {
  if (graph.width <= 0 || graph.height <= 0 || screen.width <= 0 || screen.height <= 0) {
    return { x: padding, y: padding, zoom: 1 };
  }
  const zoom = clampZoom(
    Math.min(1, (screen.width - 2 * padding) / graph.width, (screen.height - 2 * padding) / graph.height),
  );
  return {
    x: (screen.width - graph.width * zoom) / 2,
    y: (screen.height - graph.height * zoom) / 2,
    zoom,
  };
}

/** Below this zoom node text cannot be read: a first view of a big graph starts here instead. */
export const READABLE_ZOOM = 0.45;

/**
 * The first view of a graph: all of it when that stays readable, else its start (the sources on the
 * left, where a pipeline is read from) at a readable zoom, vertically centred.
 */
export function initialViewport(graph: Size, screen: Size, padding = 16): Viewport {
  const fit = fitViewport(graph, screen, padding);
  if (fit.zoom >= READABLE_ZOOM) return fit;
  const zoom = READABLE_ZOOM;
  return { x: padding, y: (screen.height - graph.height * zoom) / 2, zoom };
}

/** Zooms by `factor` keeping the graph point under `screenPoint` where it is (wheel under the mouse). */
export function zoomAt(viewport: Viewport, factor: number, screenPoint: Point): Viewport {
  const zoom = clampZoom(viewport.zoom * factor);
  const gx = (screenPoint.x - viewport.x) / viewport.zoom;
  const gy = (screenPoint.y - viewport.y) / viewport.zoom;
  return { x: screenPoint.x - gx * zoom, y: screenPoint.y - gy * zoom, zoom };
}

export function panBy(viewport: Viewport, dx: number, dy: number): Viewport {
  return { ...viewport, x: viewport.x + dx, y: viewport.y + dy };
}

export function centreOf(box: NodeBox): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Puts a graph point in the middle of the screen at the current zoom (search → centre a task). */
export function centreOn(viewport: Viewport, point: Point, screen: Size): Viewport {
  return {
    ...viewport,
    x: screen.width / 2 - point.x * viewport.zoom,
    y: screen.height / 2 - point.y * viewport.zoom,
  };
}

/**
 * After a re-layout, moves the viewport by as much as the anchor node moved, so the node the user
 * looks at stays at the same place on screen while everything else settles around it.
 */
export function keepAnchor(viewport: Viewport, before: NodeBox, after: NodeBox): Viewport {
  const from = centreOf(before);
  const to = centreOf(after);
  return {
    ...viewport,
    x: viewport.x - (to.x - from.x) * viewport.zoom,
    y: viewport.y - (to.y - from.y) * viewport.zoom,
  };
}

/** The first candidate present in both layouts: the node to keep still across a re-layout. */
export function pickAnchor(
  candidates: (string | null | undefined)[],
  before: Record<string, NodeBox>,
  after: Record<string, NodeBox>,
): string | undefined {
  for (const id of candidates) if (id != null && before[id] && after[id]) return id;
  // Otherwise any node both layouts share, so additions elsewhere do not shift the view.
  return Object.keys(after).find((id) => before[id] !== undefined);
}

/** Whether a node lies fully outside the screen (then a search result must be brought into view). */
export function isOffScreen(viewport: Viewport, box: NodeBox, screen: Size): boolean {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  return (
    left + box.width * viewport.zoom < 0 ||
    top + box.height * viewport.zoom < 0 ||
    left > screen.width ||
    top > screen.height
  );
}
