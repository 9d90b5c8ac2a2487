// RemoteFile: one file on a host with content, mode and owner. The state keeps the content's
// SHA-256, never the content (which may be a token).
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import type { HostConnection } from '../host/host-executor.ts';
import { changedKeys, hostKey, sha256 } from './provider-kit.ts';

export interface RemoteFileInputs {
  connection: HostConnection;
  path: string;
  content: string;
  /** Octal bits as a number (0o600). */
  mode: number;
  owner: string;
}

export interface RemoteFileOutputs {
  connection: HostConnection;
  path: string;
  mode: number;
  owner: string;
  sha256: string;
}

function outputs(inputs: RemoteFileInputs): RemoteFileOutputs {
  return {
    connection: inputs.connection,
    path: inputs.path,
    mode: inputs.mode,
    owner: inputs.owner,
    sha256: sha256(inputs.content),
  };
}

function checkPath(path: string): void {
  if (!path.startsWith('/') || path.split('/').includes('..'))
    throw new Error(`RemoteFile path must be absolute without '..': ${path}`);
}

export const remoteFileProvider = {
  async create(inputs: RemoteFileInputs): Promise<pulumi.dynamic.CreateResult<RemoteFileOutputs>> {
    checkPath(inputs.path);
    await executorFor(inputs.connection).putFile(inputs.path, inputs.content, {
      mode: inputs.mode,
      owner: inputs.owner,
    });
    return { id: `${hostKey(inputs.connection)}:${inputs.path}`, outs: outputs(inputs) };
  },

  diff(_id: string, olds: RemoteFileOutputs, news: RemoteFileInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedKeys(olds, news, ['connection', 'path']);
    const changed: string[] = [...replaces, ...changedKeys(olds, news, ['mode', 'owner'])];
    if (olds.sha256 !== sha256(news.content)) changed.push('content');
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: false });
  },

  async update(
    _id: string,
    _olds: RemoteFileOutputs,
    news: RemoteFileInputs,
  ): Promise<pulumi.dynamic.UpdateResult<RemoteFileOutputs>> {
    checkPath(news.path);
    await executorFor(news.connection).putFile(news.path, news.content, {
      mode: news.mode,
      owner: news.owner,
    });
    return { outs: outputs(news) };
  },

  async delete(_id: string, olds: RemoteFileOutputs): Promise<void> {
    await executorFor(olds.connection).removeFile(olds.path);
  },
};
