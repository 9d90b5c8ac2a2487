// A project's files: drag-and-drop or chosen uploads with per-file progress (large files in
// resumable pieces: a failed piece is retried, and choosing the same file again after a reload
// carries on where it stopped; api/resumable-upload.ts), the list with a
// preview player (video, image, audio) and a download link (GET /api/v1/assets/{id}/content).
import type { Asset } from '@enclave/contracts';
import { useRef, useState, type DragEvent } from 'react';
import { errorText } from '../api/api-error.ts';
import { assetRoutes, contentUrl, uploadFile } from '../api/assets.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { bytes, ProgressBar, StateBadge } from './common.tsx';

interface Upload {
  readonly key: string;
  readonly name: string;
  fraction: number;
  error: string | null;
  done: boolean;
}

export function AssetsPanel({
  projectId,
  assets,
  canUpload,
  onUploaded,
}: {
  projectId: string;
  assets: readonly Asset[];
  canUpload: boolean;
  onUploaded: () => void;
}) {
  const { t, formatDate } = useI18n();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const available = assetRoutes.upload() !== undefined;

  const update = (key: string, patch: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      setUploads((list) => [...list, { key, name: file.name, fraction: 0, error: null, done: false }]);
      uploadFile(projectId, file, (fraction) => update(key, { fraction })).done.then(
        () => {
          update(key, { done: true, fraction: 1 });
          onUploaded();
        },
        (error: unknown) => update(key, { error: errorText(error) }),
      );
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length > 0) start(e.dataTransfer.files);
  };

  const preview = assets.find((a) => a.assetId === previewId);
  const previewUrl = preview ? contentUrl(preview.assetId) : null;

  return (
    <section className="card" aria-labelledby="assets-title">
      <h2 id="assets-title">{t('assets')}</h2>
      {canUpload &&
        (available ? (
          <div
            className={`dropzone${over ? ' dropzone-over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            <p>{t('dropHere')}</p>
            <label className="button secondary">
              {t('chooseFiles')}
              <input
                ref={input}
                type="file"
                multiple
                className="visually-hidden"
                aria-label={t('uploadFiles')}
                onChange={(e) => {
                  if (e.target.files) start(e.target.files);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
        ) : (
          <p className="muted">{t('uploadsUnavailable')}</p>
        ))}
      {uploads.length > 0 && (
        <ul className="uploads" aria-label={t('uploadFiles')}>
          {uploads.map((u) => (
            <li key={u.key}>
              <span className="upload-name">{u.name}</span>
              {u.error ? (
                <span className="field-error">{u.error}</span>
              ) : (
                <ProgressBar value={u.fraction} label={u.name} />
              )}
            </li>
          ))}
        </ul>
      )}
      {assets.length === 0 ? (
        <p className="muted">{t('noAssets')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('type')}</th>
              <th scope="col">{t('size')}</th>
              <th scope="col">{t('origin')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {assets.map((a) => {
              const url = contentUrl(a.assetId);
              return (
                <tr key={a.assetId}>
                  <td>{a.name}</td>
                  <td>{a.mediaType}</td>
                  <td>{bytes(a.sizeBytes)}</td>
                  <td>{a.state === 'erased' ? <StateBadge state="erased" /> : a.origin}</td>
                  <td>{formatDate(a.createdAt)}</td>
                  <td className="row-actions">
                    {url && a.state === 'stored' && (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setPreviewId(previewId === a.assetId ? null : a.assetId)}
                        >
                          {t('preview')}
                        </button>
                        <a className="button secondary" href={url} download={a.name}>
                          {t('download')}
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {preview && previewUrl && (
        <figure className="preview">
          {preview.mediaType.startsWith('video/') ? (
            <video controls src={previewUrl} aria-label={preview.name} />
          ) : preview.mediaType.startsWith('image/') ? (
            <img src={previewUrl} alt={preview.name} />
          ) : preview.mediaType.startsWith('audio/') ? (
            <audio controls src={previewUrl} aria-label={preview.name} />
          ) : (
            <a href={previewUrl}>{preview.name}</a>
          )}
          <figcaption>{preview.name}</figcaption>
        </figure>
      )}
    </section>
  );
}
