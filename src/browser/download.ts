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

/** `certificat-<identifier>.p12`, with the platform domain left out and nothing a file system dislikes. */
export function p12FileName(identifier: string): string {
  const local = identifier.trim().toLowerCase().split('@')[0] ?? '';
  const safe = local.replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80);
  return `certificat-${safe || 'passerelle'}.p12`;
}
