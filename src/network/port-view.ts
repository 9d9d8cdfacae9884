/**
 * What routes and the flow level read of a built network's ports: the packet fabric's
 * `EgressPort`s (build.ts) and the flow-only build's `FlowPort`s (flow-network.ts) both are
 * `PortView`s, so one route computation and one flow model serve both.
 */
import type { LinkProtocol } from "../link/protocol.js";
import type { RoutedNode, RoutedPort } from "./routing.js";

/** A port's scheduler queues as the flow level sees them. */
export interface QueuesView {
  readonly queueCount: number;
  /** With traffic classes: the flat queue number of sub-queue `sub` of class `cls`. */
  queueOf?(cls: number, sub: number): number;
  /** A shaped queue's rate in wire bits per second, or null (absent: no queue is shaped). */
  shaperRateBps?(queue: number): number | null;
  /** α of a dynamic per-queue buffer threshold (0 or absent: the queues share the port's buffer to the last byte). */
  readonly dynamicThreshold?: number;
}

/** An egress port as routes and the flow level read it (`P`: the port type of its network). */
export interface PortView<P> extends RoutedPort<P> {
  readonly to: string;
  readonly protocol: LinkProtocol;
  /** Bits per second after line encoding. */
  readonly capacityBps: number;
  readonly propagationTicks: number;
  /** The peer's forwarding latency for what arrives through this port. */
  readonly peerLatencyTicks: number;
  readonly lossless: boolean;
  /** Lossy egress buffer, bytes (Infinity: none). */
  readonly bufferBytes: number;
  readonly scheduler: QueuesView;
  /** The other direction of the same link. */
  readonly reverse: P | null;
}

/** Any network's port, for code that reads ports of either build. */
export interface AnyPort extends PortView<AnyPort> {}

/** A route: the ports a transfer leaves through and its scheduler queue at each. */
export interface PortRoute<P> {
  readonly ports: readonly P[];
  readonly queues: readonly number[];
}

/** Nodes and ports by name, and routes over them (`Fabric` for the packet level). */
export interface PortGraph<P> {
  readonly ports: readonly P[];
  node(name: string): RoutedNode<P>;
  port(id: string): P;
  /** The port `port` of node `node` (as `port("node:port")`, without building that id), where the graph has it. */
  portAt?(node: string, port: string): P;
  route(ports: readonly P[], queues: readonly number[]): PortRoute<P>;
}
