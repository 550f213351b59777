// The server's side of an upload as it happens: `upload_progress` / `upload_complete` /
// `upload_error` of one upload id, from the operations channel (GET /ws/events?topics=uploads).
export interface UploadProgress {
  bytes_received: number;
  bytes_total: number | null;
  rows_parsed: number;
  rows_rejected: number;
}

export interface UploadEventHandlers {
  progress(data: UploadProgress): void;
}

/// Listens for the events of `uploadId` until the returned function is called. The socket is
/// opened before the upload starts so that no event is missed.
export function followUpload(uploadId: string, handlers: UploadEventHandlers, base: Location = window.location): { ready: Promise<void>; close: () => void } {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  let socket: WebSocket | null = null;
  const ready = new Promise<void>((resolve) => {
    try {
      socket = new WebSocket(`${scheme}//${base.host}/ws/events?topics=uploads`);
    } catch {
      resolve();
      return;
    }
    const done = (): void => resolve();
    socket.addEventListener("open", done);
    socket.addEventListener("error", done);
    // Never wait long: the bytes-sent bar works without the channel.
    setTimeout(done, 1500);
    socket.addEventListener("message", (message) => {
      let event: { type?: string; data?: { upload_id?: string } & Partial<UploadProgress> };
      try {
        event = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (event.type !== "upload_progress" || event.data?.upload_id !== uploadId) return;
      handlers.progress({
        bytes_received: event.data.bytes_received ?? 0,
        bytes_total: event.data.bytes_total ?? null,
        rows_parsed: event.data.rows_parsed ?? 0,
        rows_rejected: event.data.rows_rejected ?? 0,
      });
    });
  });
  return { ready, close: () => socket?.close() };
}
