/** The embeddable snippet (bot/assets/embed.js), read once at start-up and served at /chat/embed.js. */
import { readFileSync } from 'node:fs';

export const embedScript = readFileSync(new URL('../../assets/embed.js', import.meta.url), 'utf8');
