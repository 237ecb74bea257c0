/**
 * A client connection's bytes in and out, behind one small interface with two
 * implementations:
 *
 * - RawConnection drives the libuv TCP handle that Node's net.Server accepted,
 *   directly: reads land in one buffer shared by every connection (they are
 *   handled one at a time, synchronously), writes go to the handle in one call.
 *   It skips net.Socket's stream machinery (Readable.push, 'data' events,
 *   Writable bookkeeping, a Buffer per read), which at pipeline 1 costs more
 *   than everything shardis does with a command: about 16 µs of CPU per
 *   request for a net.Socket echo server against 10 µs on the raw handle
 *   (docs/decisions.md, "Socket I/O").
 * - StreamConnection is the same over a plain net.Socket: the fallback when the
 *   handle API is missing, and the reference the tests compare with.
 *
 * The raw handle is the one Node itself uses under net.Socket (stream_wrap's
 * WriteWrap/ShutdownWrap and the streamBaseState words, reached through
 * process.binding); rawSocketIo() checks it is there and shaped as expected,
 * or shardis falls back to streams.
 */
import net, { type Server, type Socket } from 'node:net';

/** What a connection reports. Read data is borrowed: valid only during onData. */
export interface ConnectionEvents {
  /** `len` bytes were read into `chunk[0, len)`. */
  onData(chunk: Buffer, len: number): void;
  /** The peer shut down its sending side (EOF). */
  onEnd(): void;
  /** The connection is gone (error, reset, or closed by us). */
  onClose(): void;
}

export interface Connection {
  readonly fd: number;
  /** Bytes written but not yet taken by the kernel. */
  readonly bufferedBytes: number;
  remoteAddress(): { address?: string; port?: number };
  localAddress(): { address?: string; port?: number };
  /** Writes `data[0, len)`; returns true if the connection kept the buffer (the caller must not reuse it). */
  write(data: Buffer, len: number): boolean;
  /** Closes once everything written has gone out. */
  end(): void;
  /** Closes now. */
  destroy(): void;
  pause(): void;
  resume(): void;
  setKeepAlive(delayMs: number): void;
}

// ---------------------------------------------------------------------------
// The raw handle
// ---------------------------------------------------------------------------

interface StreamHandle {
  fd: number;
  writeQueueSize: number;
  onread: () => void;
  useUserBuffer(buf: Uint8Array): void;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  shutdown(req: ShutdownReq): number;
  close(cb?: () => void): void;
  setNoDelay(on: boolean): number;
  setKeepAlive(on: boolean, delaySeconds: number): number;
  getpeername(out: Record<string, unknown>): number;
  getsockname(out: Record<string, unknown>): number;
}

interface WriteReq {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
  async: boolean;
  buffer: Uint8Array | null;
}
interface ShutdownReq {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

/** libuv's UV_EOF, the same on every platform. */
const UV_EOF = -4095;
/** One read buffer for every raw connection (Node's own default read size). */
const READ_BUFFER_BYTES = 64 * 1024;

let binding: StreamWrapBinding | null | undefined;

/** The stream_wrap binding when it has what RawConnection uses, else null. */
export function rawSocketIo(): StreamWrapBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  try {
    const b = (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap');
    if (typeof b.WriteWrap === 'function' && typeof b.ShutdownWrap === 'function' && b.streamBaseState instanceof Int32Array && typeof b.kReadBytesOrError === 'number' && typeof b.kLastWriteWasAsync === 'number') {
      binding = b;
    }
  } catch {
    // No process.binding (a future Node): streams it is.
  }
  return binding;
}

function ignoreRead(): void {}

/** Raw connections alive: a handle referenced only by its own callbacks would be collected (and closed). */
const liveRaw = new Set<RawConnection>();

class RawConnection implements Connection {
  private static readBuffer: Buffer | null = null;
  private closed = false;
  private ending = false;
  /** Writes libuv still holds (their buffers must stay untouched until they complete). */
  private writesInFlight = 0;
  /**
   * The write request for the next write. StreamBase::WriteBuffer only binds
   * it to a native write when the kernel does not take every byte at once, so
   * until a write goes asynchronous the same object serves every write.
   */
  private req: WriteReq | null = null;
  /** The view of the last write, reused while the buffer and length repeat. */
  private lastChunk: Uint8Array | null = null;
  private lastData: Buffer | null = null;

  constructor(
    private readonly handle: StreamHandle,
    private readonly b: StreamWrapBinding,
    private readonly events: ConnectionEvents,
  ) {
    RawConnection.readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES);
    liveRaw.add(this);
    handle.setNoDelay(true);
    handle.useUserBuffer(RawConnection.readBuffer);
    handle.onread = this.onRead;
    handle.readStart();
  }

  get fd(): number {
    return this.handle.fd;
  }

  get bufferedBytes(): number {
    return this.closed ? 0 : this.handle.writeQueueSize;
  }

  remoteAddress(): { address?: string; port?: number } {
    const out: Record<string, unknown> = {};
    if (!this.closed) this.handle.getpeername(out);
    return out as { address?: string; port?: number };
  }

  localAddress(): { address?: string; port?: number } {
    const out: Record<string, unknown> = {};
    if (!this.closed) this.handle.getsockname(out);
    return out as { address?: string; port?: number };
  }

  private readonly onRead = (): void => {
    const n = this.b.streamBaseState[this.b.kReadBytesOrError];
    if (n > 0) return this.events.onData(RawConnection.readBuffer!, n);
    if (n === 0) return; // EAGAIN
    if (n === UV_EOF) {
      this.handle.readStop();
      return this.events.onEnd();
    }
    this.destroy(); // ECONNRESET and friends
  };

  write(data: Buffer, len: number): boolean {
    if (this.closed) return false;
    let req = this.req;
    if (req === null) {
      req = new this.b.WriteWrap();
      req.handle = this.handle;
      req.oncomplete = this.onWriteComplete;
      req.async = false;
      req.buffer = null;
      this.req = req;
    }
    let chunk = this.lastChunk;
    if (chunk === null || this.lastData !== data || chunk.byteLength !== len) {
      chunk = len === data.length ? data : new Uint8Array(data.buffer, data.byteOffset, len);
      this.lastChunk = chunk;
      this.lastData = data;
    }
    const err = this.handle.writeBuffer(req, chunk);
    if (err !== 0) {
      this.destroy();
      return false;
    }
    if (this.b.streamBaseState[this.b.kLastWriteWasAsync] === 0) return false;
    // Part of it waits in libuv, which points into the buffer: keep it alive and untouched,
    // and use a new request and view for the next write.
    req.async = true;
    req.buffer = chunk;
    this.req = null;
    this.lastChunk = null;
    this.lastData = null;
    this.writesInFlight++;
    return true;
  }

  private readonly onWriteComplete = (status: number): void => {
    this.writesInFlight--;
    if (status < 0) return this.destroy();
    if (this.ending && this.writesInFlight === 0) this.shutdown();
  };

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    if (this.writesInFlight === 0) this.shutdown();
  }

  /** Sends FIN after the last write, then closes (as net.Socket's end() then destroy()). */
  private shutdown(): void {
    const req = new this.b.ShutdownWrap();
    req.handle = this.handle;
    req.oncomplete = () => this.destroy();
    if (this.handle.shutdown(req) !== 0) this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    liveRaw.delete(this);
    this.handle.readStop();
    this.handle.onread = ignoreRead;
    this.handle.close();
    this.events.onClose();
  }

  pause(): void {
    if (!this.closed) this.handle.readStop();
  }

  resume(): void {
    if (!this.closed && !this.ending) this.handle.readStart();
  }

  setKeepAlive(delayMs: number): void {
    if (!this.closed) this.handle.setKeepAlive(true, Math.floor(delayMs / 1000));
  }
}

// ---------------------------------------------------------------------------
// net.Socket
// ---------------------------------------------------------------------------

class StreamConnection implements Connection {
  constructor(
    private readonly socket: Socket,
    events: ConnectionEvents,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => events.onData(chunk, chunk.length));
    socket.on('end', () => events.onEnd());
    socket.on('error', () => events.onClose());
    socket.on('close', () => events.onClose());
  }

  get fd(): number {
    return (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  remoteAddress(): { address?: string; port?: number } {
    return { address: this.socket.remoteAddress, port: this.socket.remotePort };
  }

  localAddress(): { address?: string; port?: number } {
    return { address: this.socket.localAddress, port: this.socket.localPort };
  }

  write(data: Buffer, len: number): boolean {
    // The socket may keep the buffer until the kernel takes it, so hand it its own copy
    // (small ones come from Node's buffer pool) and let the caller reuse its own.
    const copy = Buffer.allocUnsafe(len);
    data.copy(copy, 0, 0, len);
    this.socket.write(copy);
    return false;
  }

  end(): void {
    const socket = this.socket;
    socket.end(() => socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  setKeepAlive(delayMs: number): void {
    this.socket.setKeepAlive(true, delayMs);
  }
}

// ---------------------------------------------------------------------------
// Listening
// ---------------------------------------------------------------------------

/** How client connections are driven: 'raw' handles when available (the default), or net.Socket 'stream's. */
export type SocketIoMode = 'raw' | 'stream';

/**
 * A listening server whose accepted connections are handed to `accept` as
 * Connections. `attach(events)` must be called at once to start reading.
 */
export function createConnectionServer(
  mode: SocketIoMode,
  accept: (attach: (events: ConnectionEvents) => Connection) => void,
): { server: Server; mode: SocketIoMode } {
  const b = mode === 'raw' ? rawSocketIo() : null;
  const result: { server: Server; mode: SocketIoMode } = { server: null as unknown as Server, mode: b === null ? 'stream' : 'raw' };
  // allowHalfOpen: a client that shuts down its sending side still gets every reply it is owed.
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    accept((events) => new StreamConnection(socket, events));
  });
  result.server = server;
  if (b === null) return result;
  // Take accepted handles before net.Server wraps them in sockets.
  server.once('listening', () => {
    const listener = (server as unknown as { _handle?: { onconnection?: unknown } })._handle;
    if (listener === undefined || typeof listener.onconnection !== 'function') {
      result.mode = 'stream'; // unexpected shape: stay on streams
      return;
    }
    listener.onconnection = (err: number, handle: StreamHandle | undefined) => {
      if (err !== 0 || handle === undefined) return; // EMFILE and the like: nothing accepted
      accept((events) => new RawConnection(handle, b, events));
    };
  });
  return result;
}
