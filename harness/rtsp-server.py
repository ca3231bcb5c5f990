#!/usr/bin/python3
# A test camera: gst-rtsp-server serving H.264 of a solid-colour scene that the test can change
# at runtime, optionally with the frame number drawn as black/white blocks (stamp mode) so a
# receiver can measure latency after lossy encoding.
#
# Run with Debian's /usr/bin/python3 (it has `gi`). Prints "epoch <ms>" then "ready" on stdout.
# stdin lines:  "color rrggbb"  change the scene colour from the next frame on; prints
#               "color rrggbb" when taken and "scene rrggbb <n>" with the first frame n that shows it
#               (benchmarks time a scene change as epoch + n / fps, the moment that frame left).
# stdin EOF ends the server, so it never outlives the test process that started it.
#
# Frames are generated here (appsrc) rather than by videotestsrc so that the colour change and
# the stamp land on an exact frame, and frame n is pushed at epoch + n / fps (drift-free clock).

import argparse
import os
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

STAMP_BITS = 16


_say_lock = threading.Lock()


def say(line):
	"""One whole line per write: the stdin thread's echoes and the streaming thread's "scene"
	lines must never interleave (print writes the text and the newline separately)."""
	with _say_lock:
		sys.stdout.write(line + '\n')
		sys.stdout.flush()


def parse_args():
	p = argparse.ArgumentParser()
	p.add_argument('--port', type=int, required=True)
	p.add_argument('--mount', default='/cam')
	p.add_argument('--width', type=int, default=320)
	p.add_argument('--height', type=int, default=240)
	p.add_argument('--fps', type=int, default=15)
	p.add_argument('--username', default=None)
	p.add_argument('--color', default='808080')
	p.add_argument('--stamp', action='store_true')
	# An audio track listed before the video (stream 0), as some cameras do: readers must skip it.
	p.add_argument('--audio', action='store_true')
	# Many cameras, one encoder: the same encoded stream on N mount points <mount>0 .. <mount>N-1,
	# so that N readers each decode a camera of their own while the test camera encodes once.
	p.add_argument('--mounts', type=int, default=0)
	return p.parse_args()


def rgb_to_yuv(hex_color):
	"""BT.601 limited range, what ffmpeg assumes for untagged yuv420p."""
	r, g, b = (int(hex_color[i:i + 2], 16) for i in (0, 2, 4))
	y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
	u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
	v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
	return tuple(max(0, min(255, int(round(c)))) for c in (y, u, v))


class Scene:
	def __init__(self, args):
		self.w, self.h, self.fps = args.width, args.height, args.fps
		self.stamp = args.stamp
		self.lock = threading.Lock()
		self.set_color(args.color)
		# Stamp: the top eighth of the picture, 16 blocks across (test/support/stamp.ts reads it back).
		self.stamp_rows = max(8, (self.h // 8) & ~1) if self.stamp else 0

	def set_color(self, hex_color):
		hex_color = hex_color.strip().lstrip('#').lower()
		if len(hex_color) != 6:
			raise ValueError('colour must be rrggbb')
		with self.lock:
			self.yuv = rgb_to_yuv(hex_color)
			self.pending = hex_color

	def frame(self, n):
		w, h = self.w, self.h
		with self.lock:
			y, u, v = self.yuv
			shown, self.pending = self.pending, None
		if shown:
			say(f'scene {shown} {n}')
		cw, ch = w // 2, h // 2
		rows = self.stamp_rows
		if rows:
			block = w // STAMP_BITS
			row = bytearray()
			for i in range(STAMP_BITS):
				bit = (n >> (STAMP_BITS - 1 - i)) & 1
				row += bytes([235 if bit else 16]) * block
			row += bytes([16]) * (w - len(row))
			y_plane = bytes(row) * rows + bytes([y]) * (w * (h - rows))
			# Neutral chroma under the stamp so the blocks are pure black/white.
			u_plane = bytes([128]) * (cw * (rows // 2)) + bytes([u]) * (cw * (ch - rows // 2))
			v_plane = bytes([128]) * (cw * (rows // 2)) + bytes([v]) * (cw * (ch - rows // 2))
		else:
			y_plane = bytes([y]) * (w * h)
			u_plane = bytes([u]) * (cw * ch)
			v_plane = bytes([v]) * (cw * ch)
		return y_plane + u_plane + v_plane


class Camera:
	def __init__(self, args):
		self.args = args
		self.scene = Scene(args)
		self.appsrcs = []
		self.lock = threading.Lock()
		self.epoch = time.monotonic()
		self.n = 0
		self.duration = Gst.SECOND // args.fps

	def launch_line(self):
		a = self.args
		caps = f'video/x-raw,format=I420,width={a.width},height={a.height},framerate={a.fps}/1'
		return (
			f'( appsrc name=src is-live=true format=time do-timestamp=true block=false max-bytes={a.width * a.height * 3} caps={caps} '
			f'! queue leaky=downstream max-size-buffers=2 '
			f'! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={a.fps} bitrate=2000 '
			f'! video/x-h264,profile=constrained-baseline '
			f'! rtph264pay name=pay{1 if a.audio else 0} pt=96 config-interval=1 '
			+ ('audiotestsrc is-live=true wave=silence ! audioconvert ! audioresample ! alawenc ! rtppcmapay name=pay0 ' if a.audio else '')
			+ ')'
		)

	def on_media_configure(self, _factory, media):
		src = media.get_element().get_by_name('src')
		with self.lock:
			self.appsrcs.append(src)
		media.connect('unprepared', lambda _m: self.forget(src))

	def forget(self, src):
		with self.lock:
			if src in self.appsrcs:
				self.appsrcs.remove(src)

	def tick(self):
		# Frames are due at epoch + n / fps: push every frame that is due, then sleep until the next.
		now = time.monotonic()
		due = int((now - self.epoch) * self.args.fps)
		if due - self.n > 2:
			# Far behind (the process was SIGSTOPped): skip to now rather than burst stale frames.
			# Frame n still belongs to epoch + n / fps, so stamps stay readable as times.
			self.n = due
		while self.epoch + self.n / self.args.fps <= now:
			data = self.scene.frame(self.n)
			self.n += 1
			with self.lock:
				targets = list(self.appsrcs)
			for src in targets:
				buf = Gst.Buffer.new_wrapped(data)
				buf.duration = self.duration
				src.emit('push-buffer', buf)
		delay = self.epoch + self.n / self.args.fps - time.monotonic()
		GLib.timeout_add(max(1, int(delay * 1000)), self.tick)
		return False


class OneMediaFactory(GstRtspServer.RTSPMediaFactory):
	"""A shared factory keys its media by URL, so every mount would get its own encoder; one key for
	all makes every mount a client of the same media (one encoder, one stream)."""

	def do_gen_key(self, _url):
		return 'one'


def read_stdin(camera, loop):
	for line in sys.stdin:
		parts = line.split()
		if len(parts) == 2 and parts[0] == 'color':
			try:
				camera.scene.set_color(parts[1])
				say(f'color {parts[1]}')
			except ValueError as e:
				say(f'error {e}')
	GLib.idle_add(loop.quit)


def main():
	args = parse_args()
	Gst.init(None)
	camera = Camera(args)

	server = GstRtspServer.RTSPServer()
	server.set_address('127.0.0.1')
	server.set_service(str(args.port))

	factory = OneMediaFactory() if args.mounts else GstRtspServer.RTSPMediaFactory()
	factory.set_launch(camera.launch_line())
	factory.set_shared(True)
	factory.connect('media-configure', camera.on_media_configure)

	if args.username is not None:
		auth = GstRtspServer.RTSPAuth()
		token = GstRtspServer.RTSPToken()
		token.set_string('media.factory.role', 'viewer')
		# From the environment, so that it is not on the command line (readable by every local user).
		password = os.environ.get('RTSP_SERVER_PASSWORD', '')
		auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.username, password), token)
		server.set_auth(auth)
		permissions = GstRtspServer.RTSPPermissions()
		permissions.add_role_from_structure(
			Gst.Structure.new_from_string('viewer,media.factory.access=(boolean)true,media.factory.construct=(boolean)true')
		)
		factory.set_permissions(permissions)

	for mount in [f'{args.mount}{i}' for i in range(args.mounts)] or [args.mount]:
		server.get_mount_points().add_factory(mount, factory)
	if server.attach(None) == 0:
		say(f'error could not listen on 127.0.0.1:{args.port}')
		sys.exit(1)

	loop = GLib.MainLoop()
	camera.epoch = time.monotonic()
	say(f'epoch {int(time.time() * 1000)}')
	GLib.idle_add(camera.tick)
	threading.Thread(target=read_stdin, args=(camera, loop), daemon=True).start()
	say('ready')
	loop.run()


if __name__ == '__main__':
	main()
