// SPDX-License-Identifier: MIT
/*
 * image.h's PNG reader and writer on Windows' own codecs (WIC, the
 * Windows Imaging Component, through COM), for the Windows build where
 * Debian ships no libpng.  Same contract as image.c, with one gap: the HDR
 * chunks (cICP, mDCV, cLLI) are not read, as WIC exposes no unknown
 * chunks; vg_png_read16 reports none (an HDR PNG shows as sRGB).
 */
#define COBJMACROS
#include "image.h"
#include "image_internal.h"
#include "viogpu/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wincodec.h>
#include <windows.h>

/* COM for this thread and a WIC factory; *com_inited says whether to
 * CoUninitialize (not when the thread had COM in another mode). */
static HRESULT wic_open(IWICImagingFactory **f, bool *com_inited)
{
	HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);

	*com_inited = SUCCEEDED(hr);
	hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL,
			      CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory,
			      (void **)f);
	if (FAILED(hr) && *com_inited) {
		CoUninitialize();
		*com_inited = false;
	}
	return hr;
}

static void wic_close(IWICImagingFactory *f, bool com_inited)
{
	IWICImagingFactory_Release(f);
	if (com_inited)
		CoUninitialize();
}

static WCHAR *wide_path(const char *path)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
	WCHAR *w = n > 0 ? malloc((size_t)n * sizeof(WCHAR)) : NULL;

	if (w && MultiByteToWideChar(CP_UTF8, 0, path, -1, w, n) != n) {
		free(w);
		w = NULL;
	}
	return w;
}

/* ---- writer ---- */

#define WRITE_ROWS 64u /* rows converted and handed to WIC at a time */

static HRESULT write_frame(IWICImagingFactory *f, const WCHAR *wpath,
			   const uint32_t *px, uint32_t w, uint32_t h,
			   uint32_t stride_bytes)
{
	IWICStream *stream = NULL;
	IWICBitmapEncoder *enc = NULL;
	IWICBitmapFrameEncode *frame = NULL;
	IPropertyBag2 *props = NULL;
	uint8_t *rows = NULL;
	UINT row_bytes = w * 3;
	WICPixelFormatGUID fmt = GUID_WICPixelFormat24bppBGR;
	HRESULT hr;

	hr = IWICImagingFactory_CreateStream(f, &stream);
	if (SUCCEEDED(hr))
		hr = IWICStream_InitializeFromFilename(stream, wpath,
						       GENERIC_WRITE);
	if (SUCCEEDED(hr))
		hr = IWICImagingFactory_CreateEncoder(
			f, &GUID_ContainerFormatPng, NULL, &enc);
	if (SUCCEEDED(hr))
		hr = IWICBitmapEncoder_Initialize(enc, (IStream *)stream,
						  WICBitmapEncoderNoCache);
	if (SUCCEEDED(hr))
		hr = IWICBitmapEncoder_CreateNewFrame(enc, &frame, &props);
	if (SUCCEEDED(hr))
		hr = IWICBitmapFrameEncode_Initialize(frame, props);
	if (SUCCEEDED(hr))
		hr = IWICBitmapFrameEncode_SetSize(frame, w, h);
	if (SUCCEEDED(hr))
		hr = IWICBitmapFrameEncode_SetPixelFormat(frame, &fmt);
	if (SUCCEEDED(hr) && !IsEqualGUID(&fmt, &GUID_WICPixelFormat24bppBGR))
		hr = WINCODEC_ERR_UNSUPPORTEDPIXELFORMAT;
	if (SUCCEEDED(hr)) {
		rows = malloc((size_t)row_bytes * WRITE_ROWS);
		if (!rows)
			hr = E_OUTOFMEMORY;
	}
	for (uint32_t y0 = 0; SUCCEEDED(hr) && y0 < h; y0 += WRITE_ROWS) {
		uint32_t n = h - y0 < WRITE_ROWS ? h - y0 : WRITE_ROWS;

		for (uint32_t y = 0; y < n; y++) {
			const uint32_t *src =
				(const uint32_t *)((const uint8_t *)px +
						   (size_t)(y0 + y) *
							   stride_bytes);
			uint8_t *d = rows + (size_t)y * row_bytes;
			for (uint32_t x = 0; x < w; x++) {
				d[3 * x] = (uint8_t)src[x];
				d[3 * x + 1] = (uint8_t)(src[x] >> 8);
				d[3 * x + 2] = (uint8_t)(src[x] >> 16);
			}
		}
		hr = IWICBitmapFrameEncode_WritePixels(frame, n, row_bytes,
						       row_bytes * n, rows);
	}
	if (SUCCEEDED(hr))
		hr = IWICBitmapFrameEncode_Commit(frame);
	if (SUCCEEDED(hr))
		hr = IWICBitmapEncoder_Commit(enc);
	free(rows);
	if (props)
		IPropertyBag2_Release(props);
	if (frame)
		IWICBitmapFrameEncode_Release(frame);
	if (enc)
		IWICBitmapEncoder_Release(enc);
	if (stream)
		IWICStream_Release(stream);
	return hr;
}

int vg_png_write(const char *path, const uint32_t *px, uint32_t w, uint32_t h,
		 uint32_t stride_bytes, char *err, size_t errlen)
{
	IWICImagingFactory *f;
	bool com;
	HRESULT hr;

	if (!path || !px || !w || !h || w > VG_IMAGE_MAX_DIM ||
	    h > VG_IMAGE_MAX_DIM || stride_bytes % 4 || stride_bytes < w * 4) {
		vg_image_set_err(err, errlen,
				 "cannot write '%s': bad image geometry",
				 path ? path : "(null)");
		return -1;
	}
	WCHAR *wpath = wide_path(path);
	if (!wpath) {
		vg_image_set_err(err, errlen, "cannot write '%s': bad path",
				 path);
		return -1;
	}
	hr = wic_open(&f, &com);
	if (SUCCEEDED(hr)) {
		hr = write_frame(f, wpath, px, w, h, stride_bytes);
		wic_close(f, com);
	}
	if (FAILED(hr)) {
		DeleteFileW(wpath);
		vg_image_set_err(err, errlen,
				 "cannot write '%s': WIC error 0x%08lx", path,
				 (unsigned long)hr);
	}
	free(wpath);
	return FAILED(hr) ? -1 : 0;
}

/* ---- reader ---- */

/* Decodes frame 0 of path converted to fmt (bpp bits per pixel) into a
 * malloc'ed, tightly packed buffer. */
static int read_as(const char *path, const WICPixelFormatGUID *fmt,
		   unsigned bpp, void **out, uint32_t *ow, uint32_t *oh,
		   char *err, size_t errlen)
{
	IWICImagingFactory *f;
	IWICBitmapDecoder *dec = NULL;
	IWICBitmapFrameDecode *frame = NULL;
	IWICBitmapSource *conv = NULL;
	UINT w = 0, h = 0;
	void *buf = NULL;
	bool com;
	HRESULT hr;
	WCHAR *wpath = path ? wide_path(path) : NULL;

	if (!wpath) {
		vg_image_set_err(err, errlen, "cannot read '%s': bad path",
				 path ? path : "(null)");
		return -1;
	}
	hr = wic_open(&f, &com);
	if (FAILED(hr))
		goto out_path;
	hr = IWICImagingFactory_CreateDecoderFromFilename(
		f, wpath, NULL, GENERIC_READ, WICDecodeMetadataCacheOnDemand,
		&dec);
	GUID container;
	if (SUCCEEDED(hr))
		hr = IWICBitmapDecoder_GetContainerFormat(dec, &container);
	if (SUCCEEDED(hr) && !IsEqualGUID(&container, &GUID_ContainerFormatPng))
		hr = WINCODEC_ERR_COMPONENTNOTFOUND; /* not a PNG */
	if (SUCCEEDED(hr))
		hr = IWICBitmapDecoder_GetFrame(dec, 0, &frame);
	if (SUCCEEDED(hr))
		hr = IWICBitmapFrameDecode_GetSize(frame, &w, &h);
	if (SUCCEEDED(hr) &&
	    (!w || !h || w > VG_IMAGE_MAX_DIM || h > VG_IMAGE_MAX_DIM)) {
		vg_image_set_err(err, errlen,
				 "cannot read '%s': %ux%u is not 1..%u", path,
				 w, h, VG_IMAGE_MAX_DIM);
		goto out_release;
	}
	if (SUCCEEDED(hr))
		hr = WICConvertBitmapSource(fmt, (IWICBitmapSource *)frame,
					    &conv);
	if (SUCCEEDED(hr)) {
		buf = malloc((size_t)w * h * bpp / 8);
		if (!buf)
			hr = E_OUTOFMEMORY;
	}
	if (SUCCEEDED(hr))
		hr = IWICBitmapSource_CopyPixels(conv, NULL, w * bpp / 8,
						 w * h * bpp / 8, buf);
	if (FAILED(hr))
		vg_image_set_err(err, errlen,
				 "cannot read '%s': WIC error 0x%08lx", path,
				 (unsigned long)hr);
out_release:
	if (conv)
		IWICBitmapSource_Release(conv);
	if (frame)
		IWICBitmapFrameDecode_Release(frame);
	if (dec)
		IWICBitmapDecoder_Release(dec);
	wic_close(f, com);
out_path:
	if (FAILED(hr) && !buf)
		vg_image_set_err(err, errlen,
				 "cannot read '%s': WIC error 0x%08lx", path,
				 (unsigned long)hr);
	free(wpath);
	if (FAILED(hr) || !buf || !w) {
		free(buf);
		return -1;
	}
	*out = buf;
	*ow = w;
	*oh = h;
	return 0;
}

int vg_png_read(const char *path, uint32_t **px, uint32_t *w, uint32_t *h,
		char *err, size_t errlen)
{
	void *buf;
	uint32_t bw, bh;

	if (read_as(path, &GUID_WICPixelFormat32bppBGR, 32, &buf, &bw, &bh, err,
		    errlen))
		return -1;
	uint32_t *p = buf;
	for (size_t i = 0; i < (size_t)bw * bh; i++)
		p[i] &= 0x00ffffffu; /* the X byte is undefined */
	*px = p;
	*w = bw;
	*h = bh;
	return 0;
}

int vg_png_read16(const char *path, uint16_t **px, uint32_t *w, uint32_t *h,
		  struct vg_png_hdr *hdr, char *err, size_t errlen)
{
	void *buf;
	uint32_t bw, bh;

	if (read_as(path, &GUID_WICPixelFormat64bppRGBA, 64, &buf, &bw, &bh,
		    err, errlen))
		return -1;
	if (hdr)
		memset(hdr, 0, sizeof(*hdr)); /* WIC shows no HDR chunks */
	*px = buf;
	*w = bw;
	*h = bh;
	return 0;
}
