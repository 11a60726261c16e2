import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** Absolute join URL even if the server answers with a path. */
export function absoluteUrl(url: string): string {
  try {
    return new URL(url, window.location.origin).toString();
  } catch {
    return url;
  }
}

/** The host part shown as "go to …" beside the code. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return window.location.host;
  }
}

/** A QR code of `url` as an SVG data URL (null until made, or if it cannot be). */
export function useJoinQr(url: string): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(url, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
      color: { dark: '#0b1f33', light: '#ffffff' },
    })
      .then((svg) => !cancelled && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => !cancelled && setQr(null));
    return () => {
      cancelled = true;
    };
  }, [url]);
  return qr;
}
