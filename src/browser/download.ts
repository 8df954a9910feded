/** Offers bytes as a file download (Blob + a[download]); the Blob stays in memory for "download again". */
export function saveFile(bytes: Uint8Array<ArrayBuffer>, fileName: string, type = 'application/x-pkcs12'): () => void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const save = () => {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    anchor.rel = 'noopener';
    anchor.hidden = true;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  };
  save();
  // The key material lives in this Blob: drop it when the page goes away.
  addEventListener('pagehide', () => URL.revokeObjectURL(url), { once: true });
  return save;
}

/**
 * `certificat-<identifier>-<YYYY-MM-DD>.p12`, with the platform domain left out and nothing a file system
 * dislikes. The date (local) tells a renewed file from the old one, which would otherwise land as "(1)".
 */
export function p12FileName(identifier: string, date: Date): string {
  const local = identifier.trim().toLowerCase().split('@')[0] ?? '';
  const safe = local.replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80);
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return `certificat-${safe || 'passerelle'}-${day}.p12`;
}
