# Drives WebKitGTK (Safari's engine family) for the browser suite: reads one JSON command a line on stdin, answers one
# line "@@corskit {json}" on stdout. WebKit writes the page's console messages as "CONSOLE <SOURCE> <LEVEL> <text>"
# lines (Settings.enable_write_console_messages_to_stdout; measured here, they arrive on stderr); the C# side reads both.
# Commands: {"op": "run", "url": ..., "script": <async function body>} and {"op": "quit"}. Each run gets a new
# WebContext with its own data directories: its own cookie jar, HTTP cache and preflight cache.
# Run with Debian's /usr/bin/python3 (python3-gi, gir1.2-webkit2-4.1) under xvfb-run: WebKitGTK has no headless mode.
import json
import shutil
import sys
import tempfile

import gi

gi.require_version('Gtk', '3.0')
gi.require_version('WebKit2', '4.1')
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402


def answer(payload):
    sys.stdout.write('@@corskit ' + json.dumps(payload) + '\n')
    sys.stdout.flush()


class Run:
    def __init__(self, command):
        self.directory = tempfile.mkdtemp(prefix='corskit-webkit-')
        manager = WebKit2.WebsiteDataManager(base_data_directory=self.directory, base_cache_directory=self.directory)
        self.context = WebKit2.WebContext.new_with_website_data_manager(manager)
        self.context.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
        self.view = WebKit2.WebView(web_context=self.context)
        settings = self.view.get_settings()
        settings.set_enable_write_console_messages_to_stdout(True)
        self.view.set_settings(settings)
        self.window = Gtk.OffscreenWindow()
        self.window.add(self.view)
        self.window.show_all()
        self.script = command['script']
        self.done = False
        self.view.connect('load-changed', self.on_load)
        self.view.connect('load-failed', self.on_failed)
        self.view.load_uri(command['url'])

    def on_failed(self, _view, _event, uri, error):
        self.finish({'error': f'loading {uri} failed: {error.message}'})
        return True

    def on_load(self, view, event):
        if event != WebKit2.LoadEvent.FINISHED or self.done:
            return
        view.call_async_javascript_function(self.script, -1, None, None, None, None, self.on_result)

    def on_result(self, view, result):
        try:
            value = view.call_async_javascript_function_finish(result)
            self.finish({'result': value.to_string()})
        except GLib.Error as error:
            self.finish({'error': error.message})

    def finish(self, payload):
        if self.done:
            return
        self.done = True
        answer(payload)

    def close(self):
        self.window.destroy()
        shutil.rmtree(self.directory, ignore_errors=True)


current = None


def on_stdin(channel, _condition):
    global current
    line = channel.readline()
    if not line:
        Gtk.main_quit()
        return False
    command = json.loads(line)
    if current is not None:
        current.close()
        current = None
    if command['op'] == 'quit':
        answer({'quit': True})
        Gtk.main_quit()
        return False
    if command['op'] == 'version':
        answer({'version': f'{WebKit2.get_major_version()}.{WebKit2.get_minor_version()}.{WebKit2.get_micro_version()}'})
        return True
    current = Run(command)
    return True


channel = GLib.IOChannel.unix_new(sys.stdin.fileno())
GLib.io_add_watch(channel, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, on_stdin)
answer({'ready': True})
Gtk.main()
