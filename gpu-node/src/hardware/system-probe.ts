// systeminformation behind a small interface: discovery and telemetry logic stay pure and are
// tested against captured values; the real probe is exercised on this machine.
import si from 'systeminformation';

export interface CpuFacts {
  readonly manufacturer: string;
  readonly brand: string;
  readonly cores: number;
  readonly physicalCores: number;
}

export interface FilesystemFacts {
  readonly mount: string;
  readonly type: string;
  readonly sizeBytes: number;
  readonly availableBytes: number;
}

export interface GraphicsFacts {
  readonly vendor: string;
  readonly model: string;
  readonly vramMb: number | null;
  readonly driverVersion: string | null;
}

export interface SystemProbe {
  cpu(): Promise<CpuFacts>;
  memory(): Promise<{ readonly totalBytes: number; readonly availableBytes: number }>;
  filesystems(): Promise<FilesystemFacts[]>;
  graphics(): Promise<GraphicsFacts[]>;
  /** CPU load in percent since the previous call (systeminformation keeps the last sample). */
  cpuLoadPercent(): Promise<number>;
}

export const systemInformationProbe: SystemProbe = {
  async cpu() {
    const cpu = await si.cpu();
    return {
      manufacturer: cpu.manufacturer,
      brand: cpu.brand,
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
    };
  },
  async memory() {
    const mem = await si.mem();
    return { totalBytes: mem.total, availableBytes: mem.available };
  },
  async filesystems() {
    return (await si.fsSize()).map((fs) => ({
      mount: fs.mount,
      type: fs.type,
      sizeBytes: fs.size,
      availableBytes: fs.available,
    }));
  },
  async graphics() {
    return (await si.graphics()).controllers.map((c) => ({
      vendor: c.vendor,
      model: c.model,
      vramMb: c.vram ?? null,
      driverVersion: c.driverVersion ?? null,
    }));
  },
  async cpuLoadPercent() {
    return (await si.currentLoad()).currentLoad;
  },
};
