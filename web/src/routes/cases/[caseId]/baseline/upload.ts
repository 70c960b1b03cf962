import { ApiError } from '$lib/api/client';

/**
 * Uploads a file with progress, which fetch cannot report: XMLHttpRequest's upload events. The
 * body is the file itself; its name goes in a header, as the API expects.
 */
export function uploadWithProgress<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', `/api${path}`);
		xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
		xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
		xhr.responseType = 'json';
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress(e.loaded / e.total);
		};
		xhr.onload = () => {
			const body = xhr.response as { error?: { code?: string; message?: string } } | null;
			if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
			else
				reject(
					new ApiError(
						xhr.status,
						body?.error?.code ?? 'error',
						body?.error?.message ?? `Uppladdningen misslyckades (${xhr.status}).`
					)
				);
		};
		xhr.onerror = () =>
			reject(new ApiError(0, 'network', 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.'));
		xhr.send(file);
	});
}
