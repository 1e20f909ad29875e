import Testing

@testable import Modeling

/// Predictions with the published CDNOW parameters, against the `lifetimes` package's values for the
/// same inputs (and the 1.226 of the BG/NBD paper's worked example).
@Suite struct PredictionTests {
    let bgnbd = BGNBDModel(r: 0.242592928279822, alpha: 4.413532265271825, a: 0.7928859664406758, b: 2.4257523826258134)
    let gammaGamma = GammaGammaModel(p: 6.248802496075072, q: 3.744588460923138, v: 15.44774806492988)

    @Test func expectedPurchasesMatchThePaper() {
        let expected = bgnbd.expectedPurchases(39, frequency: 2, recency: 30.43, age: 38.86)
        #expect(abs(expected - 1.2259104241744085) < 1e-9)
        #expect(abs(bgnbd.expectedPurchases(52, frequency: 0, recency: 0, age: 38.86) - 0.25166572540726806) < 1e-9)
        #expect(bgnbd.expectedPurchases(0, frequency: 2, recency: 30.43, age: 38.86) == 0)
    }

    @Test func probabilityAlive() {
        #expect(abs(bgnbd.probabilityAlive(frequency: 2, recency: 30.43, age: 38.86) - 0.72660914) < 1e-7)
        #expect(abs(bgnbd.probabilityAlive(frequency: 5, recency: 10, age: 38.86) - 0.024815) < 1e-6)
        #expect(bgnbd.probabilityAlive(frequency: 0, recency: 0, age: 38.86) == 1)
    }

    @Test func expectedAverageValue() throws {
        #expect(
            abs(try #require(gammaGamma.expectedAverageValue(frequency: 2, monetaryValue: 22.35)) - 24.658616189236568)
                < 1e-9)
        #expect(
            abs(try #require(gammaGamma.expectedAverageValue(frequency: 0, monetaryValue: 0)) - 35.17100215250669)
                < 1e-9)
        #expect(GammaGammaModel(p: 1, q: 0.9, v: 1).expectedAverageValue(frequency: 1, monetaryValue: 5) == nil)
    }

    @Test func discountedTwelveMonthCLV() throws {
        let forecast = CLVForecast(horizonMonths: 12, monthlyDiscount: 0.01, unitDays: 7)
        let purchases = forecast.purchases(bgnbd, frequency: 2, recency: 30.43, age: 38.86)
        let value = try #require(gammaGamma.expectedAverageValue(frequency: 2, monetaryValue: 22.35))
        #expect(abs(value * purchases.discounted - 36.278496) < 1e-5)
        #expect(
            abs(purchases.expected - bgnbd.expectedPurchases(12 * 4.345, frequency: 2, recency: 30.43, age: 38.86))
                < 1e-12)
        // Without discounting, the discounted sum telescopes to E[X(t_H)].
        let flat = CLVForecast(horizonMonths: 12, monthlyDiscount: 0, unitDays: 7)
            .purchases(bgnbd, frequency: 2, recency: 30.43, age: 38.86)
        #expect(abs(flat.discounted - flat.expected) < 1e-12)
    }

    @Test func dayUnitMonthIsFourPointThreeFourFiveWeeks() {
        #expect(abs(CLVForecast(horizonMonths: 1, monthlyDiscount: 0, unitDays: 1).monthLength - 30.415) < 1e-12)
        #expect(CLVForecast(horizonMonths: 1, monthlyDiscount: 0, unitDays: 7).monthLength == 4.345)
    }
}

/// The predict horizon reads the one duration grammar: months or years.
@Suite struct HorizonTests {
    @Test func monthsAndYears() throws {
        #expect(try PredictionOptions.months(fromHorizon: "12mo") == 12)
        #expect(try PredictionOptions.months(fromHorizon: "18 months") == 18)
        #expect(try PredictionOptions.months(fromHorizon: "2y") == 24)
        #expect(throws: (any Error).self) { try PredictionOptions.months(fromHorizon: "90d") }
        do {
            _ = try PredictionOptions.months(fromHorizon: "12m")
            Issue.record("12m (minutes) was taken as a horizon")
        } catch {
            #expect(
                "\(error)"
                    == "horizon \"12m\": expected months or years such as 12mo or 1y (m is minutes; months are mo)")
        }
    }
}
