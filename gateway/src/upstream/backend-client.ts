import CircuitBreaker from 'opossum';
import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';

/** A backend's answer, read whole (backends answer small JSON documents). */
export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
  durationMs: number;
}

/** Why a backend call failed; each maps to one gateway answer. */
export const UPSTREAM_FAILURES = [
  'unavailable',
  'timeout',
  'circuit_open',
  'server_error',
] as const;
export type UpstreamFailure = (typeof UPSTREAM_FAILURES)[number];

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface BackendClientOptions {
  name: string;
  /** Origin from configuration: the only place this client ever connects to. */
  origin: string;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Circuit breaker: open when this share of recent calls failed (0–100)… */
  errorThresholdPercentage?: number;
  /** …out of at least this many… */
  volumeThreshold?: number;
  /** …and try again after this long. */
  resetTimeoutMs: number;
  /** The largest answer read from the backend; default 8 MiB. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    (code !== undefined && CONNECTION_ERRORS.has(code)) ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.SocketError
  );
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  );
}

/**
 * A keep-alive connection pool to one backend, with connect and response timeouts, one retry
 * of an idempotent GET on a connection error (never on a timeout: the backend may be working
 * on it), and a circuit breaker so a failing backend is answered fast instead of waited for.
 */
export class BackendClient {
  readonly name: string;
  private readonly pool: Pool;
  private breaker: CircuitBreaker<[Dispatcher.RequestOptions], UpstreamResponse>;

  constructor(private readonly options: BackendClientOptions) {
    this.name = options.name;
    this.pool = new Pool(options.origin, {
      connections: 64,
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.responseTimeoutMs,
      bodyTimeout: options.responseTimeoutMs,
      keepAliveTimeout: 30_000,
      // undici stops reading past this and fails the call: a backend that sends without end
      // must not take the gateway's memory with it.
      maxResponseSize: this.maxResponseBytes,
    });
    this.breaker = this.newBreaker();
  }

  /**
   * opossum keeps counting in its rolling window after a trial call closes the circuit, so the
   * failures that opened it would open it again at the first failure after recovery. Closing
   * starts a fresh breaker instead, as Hystrix resets its counts when a circuit closes.
   */
  private newBreaker(): CircuitBreaker<[Dispatcher.RequestOptions], UpstreamResponse> {
    const breaker = new CircuitBreaker((request: Dispatcher.RequestOptions) => this.send(request), {
      timeout: false,
      errorThresholdPercentage: this.options.errorThresholdPercentage ?? 50,
      volumeThreshold: this.options.volumeThreshold ?? 10,
      resetTimeout: this.resetTimeoutMs,
      rollingCountTimeout: 10_000,
      // Off: opossum would concatenate and sort every latency of the window (~13,000 at 1,300
      // calls/s) for percentiles each second and at every failure, which is when a backend is
      // failing. It still keeps them per bucket. The gateway's own metrics measure latency.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    breaker.on('close', () => {
      breaker.shutdown();
      this.breaker = this.newBreaker();
    });
    return breaker;
  }

  /** How long an open circuit waits before letting one call try the backend again. */
  get resetTimeoutMs(): number {
    return this.options.resetTimeoutMs;
  }

  /** `closed`, `open` or `half_open`. */
  get circuitState(): 'closed' | 'open' | 'half_open' {
    if (this.breaker.halfOpen) return 'half_open';
    return this.breaker.opened ? 'open' : 'closed';
  }

  async request(request: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<UpstreamResponse> {
    try {
      return await this.breaker.fire({ ...request, origin: this.options.origin });
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw new UpstreamError(
          'circuit_open',
          `${this.name} is failing; calls are paused for a moment`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async send(request: Dispatcher.RequestOptions): Promise<UpstreamResponse> {
    const started = performance.now();
    let deadline: AbortSignal | undefined;
    const attempt = async () => {
      // undici checks its headers and body timeouts on a coarse clock (up to a second late);
      // this timer holds the call to responseTimeoutMs, which the TPP waits on. Cleared when
      // the call is done: AbortSignal.timeout would fire (and build an error) for every call.
      const controller = new AbortController();
      deadline = controller.signal;
      const timer = setTimeout(() => controller.abort(), this.options.responseTimeoutMs);
      let response: Dispatcher.ResponseData;
      let body: Buffer;
      try {
        response = await this.pool.request({ ...request, signal: deadline });
        body = await this.readBody(response);
      } finally {
        clearTimeout(timer);
      }
      // A backend's own failure counts against its circuit like an unreachable backend.
      if (response.statusCode >= 500)
        throw new UpstreamError('server_error', `${this.name} answered ${response.statusCode}`);
      // Backends trust only the gateway: a 401 or 403 refuses the gateway's credential, never
      // the TPP's token, so it is our failure and must not reach the TPP as if it were theirs.
      if (response.statusCode === 401 || response.statusCode === 403)
        throw new UpstreamError(
          'server_error',
          `${this.name} refused the gateway's credential (${response.statusCode})`,
        );
      return {
        status: response.statusCode,
        contentType: String(response.headers['content-type'] ?? ''),
        body,
        durationMs: performance.now() - started,
      };
    };
    try {
      try {
        return await attempt();
      } catch (error) {
        if (request.method === 'GET' && isConnectionError(error)) return await attempt();
        throw error;
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if (error instanceof undiciErrors.ResponseExceededMaxSizeError) throw this.tooLarge(error);
      if (isTimeout(error) || deadline?.aborted)
        throw new UpstreamError(
          'timeout',
          `${this.name} did not answer within ${this.options.responseTimeoutMs} ms`,
          { cause: error },
        );
      if (isConnectionError(error))
        throw new UpstreamError('unavailable', `${this.name} is unreachable`, { cause: error });
      throw new UpstreamError(
        'unavailable',
        `${this.name} call failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** The whole answer (undici enforces the size limit while reading it). */
  private async readBody(response: Dispatcher.ResponseData): Promise<Buffer> {
    // Refused before reading when the backend says up front that it is too large.
    if (Number(response.headers['content-length'] ?? 0) > this.maxResponseBytes) {
      response.body.destroy();
      throw this.tooLarge();
    }
    return Buffer.from(await response.body.arrayBuffer());
  }

  private get maxResponseBytes(): number {
    return this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  private tooLarge(cause?: unknown): UpstreamError {
    return new UpstreamError(
      'server_error',
      `${this.name} answered more than ${this.maxResponseBytes} bytes`,
      { cause },
    );
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.pool.close();
  }
}
