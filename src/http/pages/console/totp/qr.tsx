import QRCode from 'qrcode';

const QUIET_ZONE = 4;

/**
 * A QR code drawn on the server as inline SVG (no script, no data: URL, nothing fetched):
 * one path, each row's dark runs as rectangles, with the standard 4-module quiet zone.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const total = size + 2 * QUIET_ZONE;
  let path = '';
  for (let y = 0; y < size; y += 1) {
    let x = 0;
    while (x < size) {
      if (!modules.get(y, x)) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x += 1;
      path += `M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start}v1h-${x - start}z`;
    }
  }
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="console-qr" viewBox={`0 0 ${total} ${total}`} width={total * 5} height={total * 5} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={total} height={total} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
