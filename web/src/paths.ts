/**
 * The paths each host really uses (page side): routes arrive from the worker the
 * first time a message takes them (`Snapshot.routes`), so what is drawn is what the
 * model routed — static pinning, hashing over uplinks, a shared adapter's hosts, and
 * after a failover the new paths — never a guess from names. Selecting a host, one of
 * its interfaces or a link asks this book what to highlight.
 */
import type { ResolvedTopology } from "../../src/topology/types.js";
import type { InstanceMeta, PortMeta, RunMeta, SeenRoute } from "./protocol.js";

/** A fabric node name as the drawing knows it: `host3/host` (the CPU side of server host3) is host3. */
export function drawnNode(fabricNode: string): string {
  return fabricNode.endsWith("/host") ? fabricNode.slice(0, -"/host".length) : fabricNode;
}

/** What is selected in the view. */
export type Picked =
  | { readonly type: "node"; readonly name: string }
  | { readonly type: "adapter"; readonly node: string; readonly adapter: string }
  | { readonly type: "iface"; readonly node: string; readonly iface: string }
  | { readonly type: "link"; readonly index: number };

export interface Highlight {
  /** Drawn links (indices into `topo.links`). */
  readonly links: ReadonlySet<number>;
  /** Devices the paths cross (drawn names). */
  readonly nodes: ReadonlySet<string>;
  /** Interfaces (`host|vif name` or `host|vf<n>@port`) whose traffic the paths carry. */
  readonly interfaces: ReadonlySet<string>;
  /** Adapters (`host|adapter`) on the paths. */
  readonly adapters: ReadonlySet<string>;
}

/** One route as a line of text: `host3:vic0/1 → iom1a:host3 … → lan`, with its workloads. */
export interface RouteLine {
  readonly via: string;
  readonly workloads: readonly string[];
  readonly text: string;
}

export function interfaceKey(host: string, inst: InstanceMeta): string {
  return inst.via.startsWith("vf") && /^vf\d+$/.test(inst.via)
    ? `${host}|${inst.via}@${inst.port}`
    : `${host}|${inst.via}`;
}

export class RouteBook {
  private readonly linkOfPort: Int32Array;
  private readonly byInstance = new Map<number, number[][]>();
  private readonly hostsOfLink = new Map<number, Set<string>>();

  constructor(
    private readonly topo: ResolvedTopology,
    private readonly meta: RunMeta,
  ) {
    const linkOf = new Map<string, number>();
    topo.links.forEach((l, i) => {
      linkOf.set(`${l.a.node}:${l.a.port}`, i);
      linkOf.set(`${l.b.node}:${l.b.port}`, i);
    });
    this.linkOfPort = Int32Array.from(meta.ports, (p: PortMeta) => linkOf.get(p.id) ?? -1);
  }

  /** The drawn link a port (link direction) belongs to, or -1 (a PCIe bus inside a server). */
  linkOf(port: number): number {
    return this.linkOfPort[port] ?? -1;
  }

  add(routes: readonly SeenRoute[]): void {
    for (const r of routes) {
      const list = this.byInstance.get(r.instance);
      if (list === undefined) this.byInstance.set(r.instance, [[...r.ports]]);
      else list.push([...r.ports]);
      const host = this.meta.instances[r.instance]?.host;
      if (host === undefined) continue;
      for (const p of r.ports) {
        const l = this.linkOf(p);
        if (l < 0) continue;
        let hosts = this.hostsOfLink.get(l);
        if (hosts === undefined) {
          hosts = new Set();
          this.hostsOfLink.set(l, hosts);
        }
        hosts.add(host);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const list of this.byInstance.values()) n += list.length;
    return n;
  }

  /** Servers whose traffic crossed link `link` so far. */
  hostsOn(link: number): ReadonlySet<string> {
    return this.hostsOfLink.get(link) ?? new Set();
  }

  /** Everything the traffic of `host` (or only of its interface `iface`) used. */
  highlight(host: string, iface: string | null = null): Highlight {
    const links = new Set<number>();
    const nodes = new Set<string>([host]);
    const interfaces = new Set<string>();
    const adapters = new Set<string>();
    const server = this.topo.nodes.find((n) => n.name === host);
    // The host's own links are always its own, used or not.
    if (iface === null && server?.kind === "server")
      this.topo.links.forEach((l, i) => {
        if (l.a.node === host || l.b.node === host) links.add(i);
      });
    this.meta.instances.forEach((inst, i) => {
      if (inst.host !== host) return;
      const key = interfaceKey(host, inst);
      const team = inst.via.includes("+");
      if (iface !== null && key !== `${host}|${iface}` && !(team && inst.via.split("+").includes(iface))) return;
      for (const route of this.byInstance.get(i) ?? []) {
        // A team of vifs (teaming, multipathing): each route is its member's, the one whose port it leaves by.
        const via = team ? this.memberOf(host, inst, route) : inst.via;
        if (team && iface !== null && via !== iface) continue;
        interfaces.add(team ? `${host}|${via}` : key);
        this.mark(route, links, nodes, adapters);
      }
    });
    return { links, nodes, interfaces, adapters };
  }

  /** The member of a team of vifs (`vnic1+vnic2`) whose adapter port `route` leaves the server by. */
  private memberOf(host: string, inst: InstanceMeta, route: readonly number[]): string {
    const members = inst.via.split("+");
    const server = this.topo.nodes.find((n) => n.name === host);
    if (server?.kind !== "server") return inst.via;
    for (const p of route.slice(0, 3)) {
      const id = this.meta.ports[p]?.id;
      if (id === undefined || !id.startsWith(`${host}:`)) continue;
      const port = id.slice(host.length + 1);
      const vif = server.adapters.flatMap((a) => a.vifs).find((v) => members.includes(v.name) && v.port === port);
      if (vif !== undefined) return vif.name;
    }
    return inst.via;
  }

  /** What crosses link `link`: the hosts whose traffic used it, and those paths. */
  linkHighlight(link: number): Highlight {
    const links = new Set<number>([link]);
    const nodes = new Set<string>();
    const interfaces = new Set<string>();
    const adapters = new Set<string>();
    this.meta.instances.forEach((inst, i) => {
      for (const route of this.byInstance.get(i) ?? []) {
        if (!route.some((p) => this.linkOf(p) === link)) continue;
        nodes.add(inst.host);
        interfaces.add(interfaceKey(inst.host, inst));
        this.mark(route, links, nodes, adapters);
      }
    });
    return { links, nodes, interfaces, adapters };
  }

  private mark(route: readonly number[], links: Set<number>, nodes: Set<string>, adapters: Set<string>): void {
    for (const p of route) {
      const l = this.linkOf(p);
      if (l >= 0) links.add(l);
      const port = this.meta.ports[p];
      if (port === undefined) continue;
      nodes.add(drawnNode(port.node));
      nodes.add(drawnNode(port.peer));
      // The PCIe bus port of an adapter, `host3/host:vic0` or `host3:vic0/bus`.
      const bus = /^(.+)\/host:(.+)$/.exec(port.id) ?? /^(.+):(.+)\/bus$/.exec(port.id);
      if (bus !== null) adapters.add(`${bus[1]}|${bus[2]}`);
    }
  }

  /** The routes of `host` as text, one line per distinct route, grouped by interface. */
  routeLines(host: string): RouteLine[] {
    const lines = new Map<string, { via: string; workloads: Set<string>; text: string }>();
    this.meta.instances.forEach((inst, i) => {
      if (inst.host !== host) return;
      for (const route of this.byInstance.get(i) ?? []) {
        const text = this.routeText(route);
        const via = inst.via.includes("+") ? this.memberOf(host, inst, route) : inst.via;
        const key = `${via}|${text}`;
        let line = lines.get(key);
        if (line === undefined) {
          line = { via, workloads: new Set(), text };
          lines.set(key, line);
        }
        line.workloads.add(this.meta.workloads[inst.workload]?.name ?? "?");
      }
    });
    return [...lines.values()]
      .map((l) => ({ via: l.via, workloads: [...l.workloads].sort(), text: l.text }))
      .sort((a, b) => (a.via < b.via ? -1 : a.via > b.via ? 1 : a.text < b.text ? -1 : 1));
  }

  /** `vic0/1 → iom1a (host3 → fabric2) → fi-a (p5 → eth1/3) → lan`: the ports a route leaves through. */
  routeText(route: readonly number[]): string {
    const parts: string[] = [];
    for (const p of route) {
      const port = this.meta.ports[p];
      if (port === undefined) continue;
      if (port.id.includes("/host:")) continue; // the host's PCIe bus into its adapter
      parts.push(port.id);
    }
    const lastPort = this.meta.ports[route[route.length - 1] ?? -1];
    if (lastPort !== undefined) parts.push(drawnNode(lastPort.peer));
    return parts.join(" → ");
  }
}

/**
 * What to light for a selection: a server's (or one interface's) paths, a link's users,
 * or for any other device its own links (and a shared adapter's hosts).
 */
export function highlightFor(topo: ResolvedTopology, book: RouteBook | null, p: Picked): Highlight | null {
  const none = { interfaces: new Set<string>(), adapters: new Set<string>() };
  switch (p.type) {
    case "link":
      return book?.linkHighlight(p.index) ?? { links: new Set([p.index]), nodes: new Set(), ...none };
    case "iface":
      return book?.highlight(p.node, p.iface) ?? null;
    case "adapter":
    case "node": {
      const name = p.type === "node" ? p.name : p.node;
      const node = topo.nodes.find((n) => n.name === name);
      if (node?.kind === "server" && book !== null) return book.highlight(name);
      const links = new Set<number>();
      topo.links.forEach((l, i) => {
        if (l.a.node === name || l.b.node === name) links.add(i);
      });
      const nodes = new Set<string>([name, ...(node?.kind === "shared-adapter" ? node.hosts : [])]);
      return { links, nodes, ...none };
    }
  }
}
