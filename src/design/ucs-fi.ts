/**
 * UCS fabric interconnect series as the generator uses them: ports, expansion
 * modules, the IOMs they take and the VIF rule per IOM uplink.
 *
 * VIF rule (VIFs per blade through one IOM): the 6100 series' 15n − 2 (n IOM
 * uplinks; vmguru.com 2012/08: 512 VN-Tags per ASIC, 8 reserved, 4 ports per ASIC,
 * 1 for the IOM, 8 blades). For the 6200 series Cisco's "Cisco UCS 6100 and 6200
 * Series Configuration Limits" documents were not found in the sources used: its
 * rule is unknown (null) and not checked. A standalone vNIC or vHBA takes one VIF,
 * a fabric-failover vNIC two (UCSM CLI configuration guide 2.0, "Managing Virtual
 * Interfaces").
 */

/** A fabric interconnect model: base ports, expansion modules, the VIF rule per IOM uplink. */
export interface FiSpec {
  readonly model: string;
  readonly base: number;
  readonly slots: number;
  /** Uplink ports per expansion module; the 6100 series takes LAN uplinks on base ports, FC on modules. */
  readonly modulePorts: number;
  readonly moduleModel: string;
  readonly lanOnBase: boolean;
  /** VIFs per blade through one IOM with n uplinks, or null when the series' rule is not known. */
  readonly vifs: ((n: number) => number) | null;
  readonly iom: (uplinks: number) => { model: string; fabricPorts: number } | null;
}

const IOM_2200 = (uplinks: number) =>
  uplinks <= 4 ? { model: "cisco-ucs-2204xp", fabricPorts: 4 } : { model: "cisco-ucs-2208xp", fabricPorts: 8 };
const IOM_2100 = (uplinks: number) => (uplinks <= 4 ? { model: "cisco-ucs-2104xp", fabricPorts: 4 } : null);
const RULE_6100 = (n: number) => 15 * n - 2;

export const FI_SPECS: Readonly<Record<string, FiSpec>> = {
  "6248up": {
    model: "cisco-ucs-6248up",
    base: 32,
    slots: 1,
    modulePorts: 16,
    moduleModel: "cisco-ucs-fi-e16up",
    lanOnBase: false,
    vifs: null,
    iom: IOM_2200,
  },
  "6296up": {
    model: "cisco-ucs-6296up",
    base: 48,
    slots: 3,
    modulePorts: 16,
    moduleModel: "cisco-ucs-fi-e16up",
    lanOnBase: false,
    vifs: null,
    iom: IOM_2200,
  },
  "6120xp": {
    model: "cisco-ucs-6120xp",
    base: 20,
    slots: 1,
    modulePorts: 6,
    moduleModel: "ucs-6100-exp-6x8gfc",
    lanOnBase: true,
    vifs: RULE_6100,
    iom: IOM_2100,
  },
  "6140xp": {
    model: "cisco-ucs-6140xp",
    base: 40,
    slots: 2,
    modulePorts: 6,
    moduleModel: "ucs-6100-exp-6x8gfc",
    lanOnBase: true,
    vifs: RULE_6100,
    iom: IOM_2100,
  },
};

/** VIFs of one blade through its A and B IOMs (a fabric-failover vNIC holds one on each). */
export function vifsPerIom(
  eth: number,
  fc: number,
  pair: boolean,
  fabricFailover: boolean,
): { a: number; b: number; total: number } {
  let a = 0;
  let b = 0;
  for (let k = 0; k < eth; k++) {
    const side = pair ? k % 2 : 0;
    if (side === 0) a++;
    else b++;
    if (fabricFailover && pair) side === 0 ? b++ : a++;
  }
  for (let k = 0; k < fc; k++) pair && k % 2 === 1 ? b++ : a++;
  return { a, b, total: a + b };
}
