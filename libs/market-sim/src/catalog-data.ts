import type { ProductCategory } from '@dynaprice/pricing';

/** A product template: its shelf name and a typical shelf price (before the retailer's own rounding). */
export type ProductTemplate = readonly [name: string, typicalPrice: number];

/** Thirty realistic products per category; larger catalogs add ranged variants of them. */
export const PRODUCT_TEMPLATES: Readonly<Record<ProductCategory, readonly ProductTemplate[]>> = {
  produce: [
    ['Organic Bananas 1kg', 1.49], ['Gala Apples 6 Pack', 2.49], ['Conference Pears 4 Pack', 1.99],
    ['Vine Tomatoes 500g', 1.99], ['Cherry Tomatoes 250g', 1.49], ['Baby Spinach 200g', 1.99],
    ['Iceberg Lettuce', 0.79], ['Mixed Salad Leaves 120g', 1.29], ['Cucumber', 0.69],
    ['Mixed Peppers 3 Pack', 1.99], ['Broccoli 350g', 0.99], ['Tenderstem Broccoli 200g', 2.29],
    ['Carrots 1kg', 0.79], ['White Mushrooms 300g', 1.49], ['Chestnut Mushrooms 250g', 1.29],
    ['Ripe & Ready Avocados 2 Pack', 1.99], ['Strawberries 400g', 2.99], ['Blueberries 150g', 2.49],
    ['Raspberries 150g', 2.99], ['Seedless Red Grapes 500g', 2.49], ['Unwaxed Lemons 4 Pack', 1.29],
    ['Limes 4 Pack', 1.29], ['Spring Onions Bunch', 0.69], ['Fresh Coriander 30g', 0.89],
    ['Fresh Basil 30g', 0.99], ['Courgettes 500g', 1.19], ['British Asparagus 250g', 2.99],
    ['Sweetcorn Cobs 2 Pack', 1.49], ['Ripe Mangoes 2 Pack', 2.49], ['Golden Pineapple', 1.49],
  ],
  bakery: [
    ['Sourdough Loaf', 2.49], ['White Bloomer', 1.49], ['Wholemeal Loaf 800g', 1.29],
    ['Seeded Farmhouse Loaf', 1.99], ['All Butter Croissants 4 Pack', 1.99], ['Pain au Chocolat 4 Pack', 2.29],
    ['French Baguette', 0.99], ['Ciabatta Rolls 4 Pack', 1.49], ['Brioche Burger Buns 4 Pack', 1.69],
    ['Cinnamon Swirls 2 Pack', 1.99], ['Blueberry Muffins 4 Pack', 2.29], ['Double Chocolate Muffins 2 Pack', 1.79],
    ['Glazed Ring Doughnuts 4 Pack', 1.49], ['Jam Doughnuts 5 Pack', 1.29], ['Fruit Scones 4 Pack', 1.49],
    ['Plain Bagels 5 Pack', 1.49], ['Granary Rolls 6 Pack', 1.29], ['Rosemary Focaccia', 2.49],
    ['Dark Rye Bread 500g', 1.99], ['Iced Finger Buns 4 Pack', 1.29], ['Carrot Cake Slices 2 Pack', 2.49],
    ['Victoria Sponge Cake', 3.49], ['Apple Turnovers 2 Pack', 1.99], ['Danish Pastries 4 Pack', 2.49],
    ['Sausage Rolls 2 Pack', 1.79], ['Cheese Twists 4 Pack', 1.99], ['Tiger Bloomer', 1.59],
    ['Multigrain Baps 4 Pack', 1.29], ['Fruit Loaf', 1.79], ['Garlic Bread Baguette', 1.19],
  ],
  dairy: [
    ['Whole Milk 2L', 1.49], ['Semi-Skimmed Milk 2L', 1.49], ['Skimmed Milk 1L', 0.99],
    ['Barista Oat Drink 1L', 1.79], ['Greek Yogurt 500g', 2.49], ['Natural Yogurt 500g', 1.29],
    ['Strawberry Yogurts 4 Pack', 1.49], ['Double Cream 300ml', 1.49], ['Single Cream 300ml', 1.19],
    ['Soured Cream 300ml', 1.09], ['Creme Fraiche 200ml', 1.29], ['Salted Butter 250g', 2.49],
    ['Mature Cheddar 400g', 3.99], ['Mozzarella 125g', 0.99], ['Halloumi 225g', 2.99],
    ['Cottage Cheese 300g', 1.49], ['Soft Cheese 200g', 1.49], ['Greek Feta 200g', 2.29],
    ['French Brie 200g', 2.49], ['Free Range Eggs 6 Pack', 1.99], ['Large Free Range Eggs 12 Pack', 3.49],
    ['Vanilla Skyr 450g', 2.29], ['Kefir 500ml', 2.49], ['Rice Pudding 4 Pack', 1.99],
    ['Chocolate Mousse 4 Pack', 1.49], ['Fresh Custard 500g', 1.29], ['Fresh Orange Juice 1L', 2.29],
    ['Buttermilk 284ml', 0.89], ['Lactose Free Milk 1L', 1.49], ['Goats Cheese Log 125g', 2.29],
  ],
  meat: [
    ['Chicken Breast Fillets 500g', 3.99], ['Chicken Thighs 1kg', 3.49], ['Whole Chicken 1.5kg', 4.99],
    ['Lean Beef Mince 5% Fat 500g', 4.49], ['Beef Mince 12% Fat 500g', 3.49], ['Sirloin Steaks 2 Pack', 8.99],
    ['Ribeye Steak 250g', 6.99], ['Diced Beef 400g', 4.99], ['Pork Sausages 6 Pack', 2.99],
    ['Pork Loin Steaks 4 Pack', 3.99], ['Smoked Back Bacon 300g', 2.99], ['Unsmoked Streaky Bacon 240g', 2.49],
    ['Pulled Pork 450g', 4.49], ['Lamb Mince 500g', 4.99], ['Lamb Loin Chops 4 Pack', 6.99],
    ['Turkey Breast Steaks 400g', 4.49], ['Chicken Drumsticks 1kg', 2.49], ['Chicken Wings 1kg', 2.99],
    ['Beef Burgers 4 Pack', 3.49], ['Gammon Steaks 2 Pack', 3.49], ['Pork Belly Slices 500g', 3.99],
    ['Honey Roast Ham 125g', 1.99], ['Chicken Kievs 2 Pack', 2.99], ['Salmon Fillets 2 Pack', 4.49],
    ['Cod Loins 2 Pack', 4.99], ['Raw King Prawns 180g', 3.99], ['Duck Breast Fillets 2 Pack', 6.49],
    ['Venison Burgers 2 Pack', 3.99], ['Cooking Chorizo 225g', 2.49], ['Chicken Mini Fillets 300g', 2.79],
  ],
  ready_meals: [
    ['Chicken Tikka Masala 400g', 3.49], ['Beef Lasagne 400g', 3.29], ['Cottage Pie 400g', 2.99],
    ['Macaroni Cheese 400g', 2.79], ['Spaghetti Bolognese 400g', 2.99], ['Thai Green Curry 400g', 3.49],
    ['Chilli Con Carne 400g', 2.99], ['Fish Pie 400g', 3.99], ['Chicken Caesar Salad Bowl', 3.29],
    ['Falafel & Houmous Wrap', 2.99], ['Ham & Cheese Sandwich', 2.49], ['Egg Mayonnaise Sandwich', 1.99],
    ['BLT Sandwich', 2.79], ['Chicken & Bacon Pasta Salad', 2.99], ['Sushi Selection 8 Pieces', 4.49],
    ['Vegetable Lasagne 400g', 3.29], ['Margherita Pizza 10"', 3.49], ['Pepperoni Pizza 10"', 3.99],
    ['Butter Chicken & Rice 450g', 3.99], ['Beef Lasagne For Two 800g', 5.49], ['Mushroom Risotto 400g', 3.29],
    ['Sweet & Sour Chicken 400g', 3.49], ['Shepherds Pie 400g', 2.99], ['Chicken Noodle Soup 600g', 2.49],
    ['Tomato & Basil Soup 600g', 2.29], ['Prawn Mayonnaise Sandwich', 2.99], ['Vegetable Biryani 400g', 3.29],
    ['Chicken Fajita Wrap Kit', 3.99], ['Chicken Katsu Curry 400g', 3.79], ['Pasta Carbonara 400g', 3.29],
  ],
};

/** Prefixes for catalogs asking for more than thirty products in a category. */
export const VARIANT_PREFIXES = ['Finest', 'Value', 'Organic', 'Family Size', 'Deli'] as const;

export type IncomeBand = 'low' | 'middle' | 'high';

export interface StoreTemplate {
  place: string;
  region: string;
  cluster: string;
  timezone: string;
  incomeBand: IncomeBand;
  /** Relative footfall: multiplies every product's true demand (not part of the catalog). */
  traffic: number;
}

/** Store sites in catalog order; larger chains reuse them with a numbered suffix. */
export const STORE_TEMPLATES: readonly StoreTemplate[] = [
  { place: 'Camden High Street', region: 'London', cluster: 'urban', timezone: 'Europe/London', incomeBand: 'middle', traffic: 1.3 },
  { place: 'Didsbury Village', region: 'North West', cluster: 'suburban', timezone: 'Europe/London', incomeBand: 'high', traffic: 0.95 },
  { place: 'Stokes Croft', region: 'South West', cluster: 'urban', timezone: 'Europe/London', incomeBand: 'low', traffic: 1.05 },
  { place: 'Lincoln Park', region: 'Midwest', cluster: 'urban', timezone: 'America/Chicago', incomeBand: 'high', traffic: 1.15 },
  { place: 'Bay View', region: 'Midwest', cluster: 'neighbourhood', timezone: 'America/Chicago', incomeBand: 'low', traffic: 0.8 },
  { place: 'Headingley', region: 'Yorkshire', cluster: 'suburban', timezone: 'Europe/London', incomeBand: 'middle', traffic: 0.9 },
  { place: 'Uptown', region: 'Upper Midwest', cluster: 'urban', timezone: 'America/Chicago', incomeBand: 'middle', traffic: 1.0 },
  { place: 'Kemptown', region: 'South East', cluster: 'neighbourhood', timezone: 'Europe/London', incomeBand: 'high', traffic: 0.85 },
];

export const RETAILER_BRAND = 'FreshWay';
