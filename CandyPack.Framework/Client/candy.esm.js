// The ES module form of candy.js: import Candy, { listen } from '/_candy/candy.esm.js'
import './candy.js';

const Candy = globalThis.Candy;

export const listen = Candy.listen;
export default Candy;
