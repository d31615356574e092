export { OfferPrompts } from './components/offer-prompts';
