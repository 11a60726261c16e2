// The web app's real sync path (RealtimeClient → VideoSync → SyncEngine) on one <video>, for the lab.
import { RealtimeClient } from '../../../apps/web/src/realtime/client';
import { VideoSync } from '../../../apps/web/src/features/video/video-sync';
import { attachSource } from '../../../apps/web/src/features/video/media-source';

const video = document.createElement('video');
video.setAttribute('data-testid', 'video-element');
video.playsInline = true;
video.preload = 'auto';
document.body.appendChild(video);
const client = new RealtimeClient({ sessionId: 'lab', token: 'lab', watchNetwork: false });
const sync = new VideoSync(client, true);
client.connect();
sync.start();
void attachSource(video, '/pattern.mp4').then(() => sync.attach(video));
sync.subscribe(() => document.body.setAttribute('data-viewer-state', sync.getSnapshot().viewerState));
