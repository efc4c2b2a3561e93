// One codicon and one word per task status, shared by the run view's nodes, log panel and timeline.
import type { TaskStatus } from '../../../../runtime/src/events';

export const STATUS_ICON: Record<TaskStatus, string> = {
  pending: 'circle-large-outline',
  running: 'loading',
  done: 'pass-filled',
  complete: 'check',
  failed: 'error',
  blocked: 'debug-pause',
  'missing-external': 'warning',
  cancelled: 'circle-slash',
};

export const STATUS_LABEL: Record<TaskStatus, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  complete: 'already complete',
  failed: 'failed',
  blocked: 'blocked',
  'missing-external': 'missing external data',
  cancelled: 'cancelled',
};
