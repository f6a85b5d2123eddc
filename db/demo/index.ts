/** The demo municipality loaded on a first start (CONTRACTS.md `npm start`): hand-made data, not CBS figures. */
import { fileURLToPath } from 'node:url';

/** Absolute path of the demo gazetteer CSV, wherever the process was started from. */
export const demoGazetteerPath = fileURLToPath(new URL('./zaanstad.csv', import.meta.url));

export const DEMO_MUNICIPALITY = 'GM0479';
