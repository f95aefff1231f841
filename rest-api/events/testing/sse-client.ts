/** A minimal Server-Sent Events client for tests: frames and comment lines as they arrive. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

export interface SseConnection {
  status: number;
  contentType: string | null;
  frames: SseFrame[];
  comments: string[];
  /** The server ended the stream. */
  ended: boolean;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection & { body: string }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const connection = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    frames: [] as SseFrame[],
    comments: [] as string[],
    body: '',
    ended: false,
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) {
    connection.body = await response.text();
    return connection;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          connection.ended = true;
          return;
        }
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) connection.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) frame.data = (frame.data ? `${frame.data}\n` : '') + line.slice(6);
          }
          if (frame.event || frame.data) connection.frames.push(frame);
        }
      }
    } catch {
      // aborted
    }
  })();
  return connection;
}
